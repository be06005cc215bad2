package io.fulcrum.gateway.cache;

import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class CachePolicyTest {

	private final CachePolicy policy = new CachePolicy(true, true, false, false);

	private static ObjectNode chat(String extra) {
		return (ObjectNode) Json.parse(
				"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
	}

	@Test
	void deterministicRequestsAreCachedByDefault() {
		assertThat(this.policy.decide(CacheEndpoint.CHAT, chat(",\"temperature\":0"), null, null))
			.isEqualTo(CacheMode.LOOKUP_AND_STORE);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, chat(",\"temperature\":1,\"seed\":3"), null, null))
			.isEqualTo(CacheMode.LOOKUP_AND_STORE);
		assertThat(this.policy.decide(CacheEndpoint.EMBEDDINGS, chat(""), null, null))
			.isEqualTo(CacheMode.LOOKUP_AND_STORE);
	}

	@Test
	void nonDeterministicRequestsBypassUnlessOptedInOrThePolicyCachesAll() {
		assertThat(this.policy.decide(CacheEndpoint.CHAT, chat(""), null, null)).isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, chat(",\"temperature\":0.2"), null, null))
			.isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, chat(""), "on", null)).isEqualTo(CacheMode.LOOKUP_AND_STORE);
		assertThat(new CachePolicy(true, false, false, false).decide(CacheEndpoint.CHAT, chat(""), null, null))
			.isEqualTo(CacheMode.LOOKUP_AND_STORE);
	}

	@Test
	void headersBypassOrKeepTheAnswerOut() {
		ObjectNode body = chat(",\"temperature\":0");
		assertThat(this.policy.decide(CacheEndpoint.CHAT, body, "off", null)).isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, body, null, "no-cache")).isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.EMBEDDINGS, body, null, "max-age=0, no-cache"))
			.isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, body, null, "no-store")).isEqualTo(CacheMode.LOOKUP_ONLY);
		assertThat(new CachePolicy(false, true, true, true).decide(CacheEndpoint.CHAT, body, "on", null))
			.isEqualTo(CacheMode.BYPASS);
	}

	@Test
	void toolsAndImagesAreNeverCachedUnlessThePolicyAllowsThem() {
		ObjectNode tools = chat(",\"temperature\":0,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]");
		ObjectNode image = (ObjectNode) Json.parse("{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
				+ "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]}]}");
		assertThat(this.policy.decide(CacheEndpoint.CHAT, tools, "on", null)).isEqualTo(CacheMode.BYPASS);
		assertThat(this.policy.decide(CacheEndpoint.CHAT, image, "on", null)).isEqualTo(CacheMode.BYPASS);
		CachePolicy permissive = new CachePolicy(true, true, true, true);
		assertThat(permissive.decide(CacheEndpoint.CHAT, tools, null, null)).isEqualTo(CacheMode.LOOKUP_AND_STORE);
		assertThat(permissive.decide(CacheEndpoint.CHAT, image, null, null)).isEqualTo(CacheMode.LOOKUP_AND_STORE);
	}

}
