package io.fulcrum.gateway.provider;

import java.nio.charset.StandardCharsets;

import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletionTest {

	private static final String ANSWER = "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"hi {\\\"usage\\\":1}\"}}],"
			+ " \"usage\" : {\"prompt_tokens\":3,\"completion_tokens\":2},\"system_fingerprint\":null}";

	@Test
	void passesTheReceivedBytesThroughAndReadsOnlyUsage() {
		byte[] bytes = ANSWER.getBytes(StandardCharsets.UTF_8);
		Completion completion = Completion.ofJson(bytes);
		assertThat(completion.bytes()).isSameAs(bytes);
		assertThat(completion.usage().path("prompt_tokens").asInt()).isEqualTo(3);
		assertThat(completion.node().path("choices").get(0).path("message").path("content").asString())
			.isEqualTo("hi {\"usage\":1}");
	}

	@Test
	void hasNoUsageWhenTheProviderSentNone() {
		assertThat(Completion.ofJson("{\"choices\":[],\"usage\":null}".getBytes(StandardCharsets.UTF_8)).usage())
			.isNull();
	}

	@Test
	void refusesWhatIsNotOneJsonObject() {
		for (String bad : new String[] { "[1]", "{\"a\":1", "{\"a\":[1,}", "{\"a\":1} x", "" }) {
			assertThatThrownBy(() -> Completion.ofJson(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
				.isInstanceOf(RuntimeException.class);
		}
	}

	@Test
	void aTreeIsSerializedOnce() {
		Completion completion = Completion.of((tools.jackson.databind.node.ObjectNode) Json
			.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}"));
		assertThat(completion.usage().path("prompt_tokens").asInt()).isEqualTo(1);
		assertThat(Json.parse(completion.bytes()).path("usage").path("prompt_tokens").asInt()).isEqualTo(1);
	}

}
