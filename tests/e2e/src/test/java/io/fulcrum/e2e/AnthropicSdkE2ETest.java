package io.fulcrum.e2e;

import java.util.ArrayList;
import java.util.List;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Anthropic's official Java SDK against Fulcrum, with nothing changed but the base URL and the key. */
@ExtendWith(RunningGateway.Extension.class)
class AnthropicSdkE2ETest {

	private static AnthropicClient client;

	private static RunningGateway gateway;

	@BeforeAll
	static void connect(RunningGateway running) {
		gateway = running;
		client = AnthropicOkHttpClient.builder()
			.baseUrl(gateway.baseUrl())
			.apiKey(RunningGateway.API_KEY)
			.maxRetries(0)
			.timeout(RunningGateway.SDK_TIMEOUT)
			.build();
	}

	@AfterAll
	static void disconnect() {
		client.close();
	}

	private static MessageCreateParams message(String model) {
		return MessageCreateParams.builder()
			.model(model)
			.maxTokens(32)
			.addUserMessage("Say hello to the end-to-end tests.")
			.build();
	}

	private static String text(Message message) {
		return String.join("",
				message.content().stream().flatMap(block -> block.text().stream()).map(TextBlock::text).toList());
	}

	@Test
	void messageThroughAnOpenAiDeploymentIsTranslatedBothWays() {
		Message message = client.messages().create(message("chat-default"));

		assertThat(message.content()).isNotEmpty().allSatisfy(block -> assertThat(block.isText()).isTrue());
		assertThat(text(message)).isNotBlank();
		assertThat(message.stopReason()).isPresent();
		assertThat(message.usage().inputTokens()).isPositive();
		assertThat(message.usage().outputTokens()).isPositive();
	}

	@Test
	void messageThroughAnAnthropicDeploymentKeepsItsShape() {
		Message message = client.messages().create(message("claude-haiku"));

		assertThat(message.content()).extracting(ContentBlock::isText).containsOnly(true);
		assertThat(text(message)).isNotBlank();
		assertThat(message.model().asString()).isNotBlank();
		assertThat(message.stopReason()).isPresent();
		assertThat(message.usage().inputTokens()).isPositive();
		assertThat(message.usage().outputTokens()).isPositive();
	}

	@Test
	void streamedMessageDeliversTextBetweenStartAndStopWithFinalUsage() {
		List<RawMessageStreamEvent> events = new ArrayList<>();
		StringBuilder text = new StringBuilder();
		try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(message("claude-haiku"))) {
			stream.stream().forEach(event -> {
				events.add(event);
				event.contentBlockDelta().flatMap(delta -> delta.delta().text()).ifPresent(d -> text.append(d.text()));
			});
		}

		assertThat(events).isNotEmpty();
		assertThat(events.get(0).isMessageStart()).isTrue();
		assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
		assertThat(text.toString()).isNotBlank();
		assertThat(events).filteredOn(RawMessageStreamEvent::isMessageDelta)
			.singleElement()
			.satisfies(event -> assertThat(event.asMessageDelta().usage().outputTokens()).isPositive());
	}

	@Test
	void streamedMessageThroughAnOpenAiDeploymentIsTranslated() {
		List<RawMessageStreamEvent> events = new ArrayList<>();
		StringBuilder text = new StringBuilder();
		try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(message("chat-default"))) {
			stream.stream().forEach(event -> {
				events.add(event);
				event.contentBlockDelta().flatMap(delta -> delta.delta().text()).ifPresent(d -> text.append(d.text()));
			});
		}

		assertThat(events.get(0).isMessageStart()).isTrue();
		assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
		assertThat(text.toString()).isNotBlank();
		assertThat(events).filteredOn(RawMessageStreamEvent::isMessageDelta)
			.singleElement()
			.satisfies(event -> assertThat(event.asMessageDelta().usage().outputTokens()).isPositive());
	}

	@Test
	void unknownModelRaisesNotFound() {
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> client.messages().create(message("no-such-model")))
			.satisfies(e -> {
				assertThat(e.statusCode()).isEqualTo(404);
				assertThat(e.errorType()).hasValue(ErrorType.NOT_FOUND_ERROR);
				assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("no-such-model"));
			});
	}

	@Test
	void badKeyRaisesUnauthorized() {
		AnthropicClient stranger = AnthropicOkHttpClient.builder()
			.baseUrl(gateway.baseUrl())
			.apiKey("fk-not-a-real-key-00000000000000000000")
			.maxRetries(0)
			.timeout(RunningGateway.SDK_TIMEOUT)
			.build();
		try {
			assertThatExceptionOfType(UnauthorizedException.class)
				.isThrownBy(() -> stranger.messages().create(message("claude-haiku")))
				.satisfies(e -> {
					assertThat(e.statusCode()).isEqualTo(401);
					assertThat(e.errorType()).hasValue(ErrorType.AUTHENTICATION_ERROR);
				});
		}
		finally {
			stranger.close();
		}
	}

}
