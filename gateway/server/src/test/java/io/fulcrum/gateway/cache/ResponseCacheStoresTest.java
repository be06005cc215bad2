package io.fulcrum.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Both stores: the in-process one with a fake clock, the Redis one against the real Redis (127.0.0.1:6379). */
class ResponseCacheStoresTest {

	private static CachedResponse entry(String body) {
		return new CachedResponse(body.getBytes(StandardCharsets.UTF_8), "primary", "primary-model",
				TokenUsage.exact(12, 2, 5));
	}

	private static CacheRequest key() {
		return CacheRequest.of("ten_1", "chat-default", CacheEndpoint.CHAT,
				(ObjectNode) Json.parse("{\"input\":\"" + UUID.randomUUID() + "\"}"));
	}

	@Test
	void inMemoryEntriesExpireAfterTheTtl() {
		AtomicLong now = new AtomicLong();
		InMemoryResponseCache cache = new InMemoryResponseCache(Duration.ofSeconds(10), 1 << 20, 1 << 16, now::get);
		CacheRequest key = key();
		cache.put(key.key(), entry("{\"a\":1}"));
		now.addAndGet(TimeUnit.SECONDS.toNanos(9));
		assertThat(cache.lookup(key).block()).isNotNull();
		now.addAndGet(TimeUnit.SECONDS.toNanos(2));
		assertThat(cache.lookup(key).block()).isNull();
	}

	@Test
	void inMemoryStoreRefusesEntriesAboveTheEntryBound() {
		InMemoryResponseCache cache = new InMemoryResponseCache(Duration.ofMinutes(1), 1 << 20, 200);
		CacheRequest key = key();
		cache.put(key.key(), entry("x".repeat(500)));
		assertThat(cache.get(key.key())).isNull();
	}

	@Test
	void inMemoryStoreKeepsItsByteBound() {
		InMemoryResponseCache cache = new InMemoryResponseCache(Duration.ofMinutes(1), 10_000, 10_000);
		for (int i = 0; i < 100; i++) {
			cache.put(key().key(), entry("x".repeat(900)));
		}
		// About 1 KB each: no more than ten fit in 10,000 bytes.
		assertThat(cache.entries()).isBetween(1L, 10L);
	}

	@Test
	void encodedEntryReadsBackTheSame() {
		CachedResponse original = entry("{\"choices\":[{\"message\":{\"content\":\"tab\\there\\nline\"}}]}");
		CachedResponse decoded = CachedResponse.decode(original.encode());
		assertThat(decoded).isNotNull();
		assertThat(decoded.body()).isEqualTo(original.body());
		assertThat(decoded.usage()).isEqualTo(original.usage());
		assertThat(decoded.deploymentId()).isEqualTo("primary");
		assertThat(CachedResponse.decode("garbage".getBytes(StandardCharsets.UTF_8))).isNull();
	}

	@Test
	void redisEntriesAreReadBackAndExpireAfterTheTtl() throws Exception {
		try (RedisResponseCache cache = new RedisResponseCache("redis://127.0.0.1:6379", "fulcrum:cache:unit:",
				Duration.ofMillis(400), 1 << 16, Duration.ofSeconds(2))) {
			CacheRequest key = key();
			assertThat(cache.lookup(key).block()).isNull();
			cache.store(key, entry("{\"a\":1}")).block(Duration.ofSeconds(5));
			CachedResponse hit = cache.lookup(key).block(Duration.ofSeconds(5));
			assertThat(hit).isNotNull();
			assertThat(new String(hit.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
			Thread.sleep(700);
			assertThat(cache.lookup(key).block(Duration.ofSeconds(5))).isNull();
		}
	}

	@Test
	void redisStoreDropsEntriesAboveTheEntryBound() {
		try (RedisResponseCache cache = new RedisResponseCache("redis://127.0.0.1:6379", "fulcrum:cache:unit:",
				Duration.ofSeconds(5), 100, Duration.ofSeconds(2))) {
			CacheRequest key = key();
			cache.store(key, entry("x".repeat(500))).block(Duration.ofSeconds(5));
			assertThat(cache.lookup(key).block(Duration.ofSeconds(5))).isNull();
		}
	}

	@Test
	void unreachableRedisIsAMissNotAFailure() {
		try (RedisResponseCache cache = new RedisResponseCache("redis://127.0.0.1:1", "fulcrum:cache:unit:",
				Duration.ofSeconds(5), 1 << 16, Duration.ofMillis(300))) {
			assertThat(cache.lookup(key()).block(Duration.ofSeconds(5))).isNull();
			cache.store(key(), entry("{}")).block(Duration.ofSeconds(5));
		}
	}

}
