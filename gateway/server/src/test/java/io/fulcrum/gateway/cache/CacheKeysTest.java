package io.fulcrum.gateway.cache;

import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class CacheKeysTest {

	private static ObjectNode body(String json) {
		return (ObjectNode) Json.parse(json);
	}

	private static final String REQUEST = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@Test
	void fieldOrderStreamingUserAndMetadataDoNotChangeTheKey() {
		CacheKey key = CacheKeys.of("t1", "alias", CacheEndpoint.CHAT, body(REQUEST));
		CacheKey same = CacheKeys.of("t1", "alias", CacheEndpoint.CHAT, body(
				"{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"stream\":true,\"stream_options\":"
						+ "{\"include_usage\":true},\"user\":\"u\",\"metadata\":{\"a\":1},\"temperature\":0,\"model\":\"m\"}"));
		assertThat(same).isEqualTo(key);
		assertThat(key.value()).hasSize(64).matches("[0-9a-f]+");
	}

	@Test
	void tenantAliasEndpointAndContentEachChangeTheKey() {
		CacheKey key = CacheKeys.of("t1", "alias", CacheEndpoint.CHAT, body(REQUEST));
		assertThat(CacheKeys.of("t2", "alias", CacheEndpoint.CHAT, body(REQUEST))).isNotEqualTo(key);
		assertThat(CacheKeys.of("t1", "other", CacheEndpoint.CHAT, body(REQUEST))).isNotEqualTo(key);
		assertThat(CacheKeys.of("t1", "alias", CacheEndpoint.EMBEDDINGS, body(REQUEST))).isNotEqualTo(key);
		assertThat(CacheKeys.of("t1", "alias", CacheEndpoint.CHAT, body(REQUEST.replace("hi", "ho"))))
			.isNotEqualTo(key);
		assertThat(CacheKeys.of("t1", "alias", CacheEndpoint.CHAT, body(REQUEST.replace("0", "0.5"))))
			.isNotEqualTo(key);
		// The separator keeps ("t1a", "lias") apart from ("t1", "alias").
		assertThat(CacheKeys.of("t1a", "lias", CacheEndpoint.CHAT, body(REQUEST))).isNotEqualTo(key);
	}

}
