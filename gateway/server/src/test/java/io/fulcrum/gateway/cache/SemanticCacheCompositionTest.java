package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SemanticResponseCache} with a fake embedder: exact first, one embedding per miss, timeouts, thresholds. */
class SemanticCacheCompositionTest {

	private final AtomicInteger embeddings = new AtomicInteger();

	/** "a..." texts embed to e1, "b..." to e2, "c..." to a vector at cosine 0.96 to e1. */
	private final Embedder fake = text -> {
		this.embeddings.incrementAndGet();
		float[] v = new float[4];
		if (text.startsWith("a")) {
			v[0] = 1;
		}
		else if (text.startsWith("b")) {
			v[1] = 1;
		}
		else {
			v[0] = 0.96f;
			v[2] = (float) Math.sqrt(1 - 0.96 * 0.96);
		}
		return Mono.just(v);
	};

	private final InMemoryResponseCache exact = new InMemoryResponseCache(Duration.ofMinutes(1), 1 << 20, 1 << 16);

	@Test
	void exactFirstThenByMeaningAboveTheAliasThreshold() {
		SemanticResponseCache cache = new SemanticResponseCache(this.exact,
				new SemanticIndex(4, Duration.ofMinutes(1), 10, 100), this.fake, 0.95, Map.of("strict", 0.99));
		CacheRequest stored = request("chat", "a question");
		assertThat(cache.lookup(stored).block()).isNull();
		cache.store(stored, entry()).block();
		assertThat(this.embeddings.get()).as("the miss's vector was reused by the store").isEqualTo(1);

		CachedResponse exactHit = cache.lookup(stored).block();
		assertThat(exactHit).isNotNull();
		assertThat(exactHit.similarity()).isNull();
		assertThat(this.embeddings.get()).as("an exact hit embeds nothing").isEqualTo(1);

		CachedResponse semanticHit = cache.lookup(request("chat", "a paraphrase")).block();
		assertThat(semanticHit).isNotNull();
		assertThat(semanticHit.similarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
		assertThat(cache.lookup(request("chat", "c close")).block()).isNotNull();
		assertThat(cache.lookup(request("chat", "b other")).block()).isNull();

		CacheRequest strict = request("strict", "a question");
		cache.store(strict, entry()).block();
		assertThat(cache.lookup(request("strict", "c close")).block()).as("0.96 < 0.99").isNull();
		assertThat(cache.threshold("strict")).isEqualTo(0.99);
		assertThat(cache.threshold("chat")).isEqualTo(0.95);

		assertThat(cache.purgeTenant("t1").block()).isEqualTo(4); // 2 exact + 2 semantic
		assertThat(cache.lookup(request("chat", "a question")).block()).isNull();
	}

	@Test
	void aLateOrFailedEmbeddingIsAMissAndIndexesNothing() {
		SemanticIndex index = new SemanticIndex(4, Duration.ofMinutes(1), 10, 100);
		SemanticResponseCache failing = new SemanticResponseCache(this.exact, index, text -> Mono.empty(), 0.95,
				Map.of());
		CacheRequest asked = request("chat", "a question");
		assertThat(failing.lookup(asked).block()).isNull();
		failing.store(asked, entry()).block();
		assertThat(index.entries()).isZero();
		assertThat(failing.lookup(asked).block()).as("the exact entry is still stored").isNotNull();
	}

	private static CacheRequest request(String alias, String question) {
		ObjectNode body = Json.object().put("temperature", 0);
		body.putArray("messages").add(Json.object().put("role", "user").put("content", question));
		return CacheRequest.of("t1", alias, CacheEndpoint.CHAT, body);
	}

	private static CachedResponse entry() {
		return new CachedResponse(new byte[] { '{', '}' }, "d", "m", TokenUsage.exact(1, 0, 1));
	}

}
