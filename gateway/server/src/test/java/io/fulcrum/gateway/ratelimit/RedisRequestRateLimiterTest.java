package io.fulcrum.gateway.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real Redis at 127.0.0.1:6379, and against a port where nothing listens. */
class RedisRequestRateLimiterTest {

	@Test
	void admitsExactlyTheLimitUnderConcurrencyAcrossTwoLimiterInstances() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (RedisRequestRateLimiter first = new RedisRequestRateLimiter("redis://127.0.0.1:6379", meters);
				RedisRequestRateLimiter second = new RedisRequestRateLimiter("redis://127.0.0.1:6379", meters)) {
			String key = "test-" + UUID.randomUUID();
			// connect and warm both up outside the measured burst
			first.acquire("warm-" + key, 10).block();
			second.acquire("warm-" + key, 10).block();
			waitUntilWellInsideAMinute();
			List<RateLimitDecision> decisions = Flux.range(0, 200)
				.flatMap(i -> (i % 2 == 0 ? first : second).acquire(key, 50), 32)
				.collectList()
				.block();
			assertThat(decisions).filteredOn(RateLimitDecision::allowed).hasSize(50);
			assertThat(decisions).filteredOn(d -> !d.allowed())
				.allSatisfy(d -> assertThat(d.remaining()).isZero());
			assertThat(meters.get("fulcrum.ratelimit.redis.available").gauge().value()).isEqualTo(1.0);
		}
	}

	@Test
	void failsOpenToAPerReplicaLimitWhenRedisIsUnreachable() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (RedisRequestRateLimiter limiter = new RedisRequestRateLimiter("redis://127.0.0.1:1", meters)) {
			waitUntilWellInsideAMinute();
			List<Boolean> allowed = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				allowed.add(limiter.acquire("k", 3).block().allowed());
			}
			assertThat(allowed).containsExactly(true, true, true, false, false);
			assertThat(meters.get("fulcrum.ratelimit.redis.available").gauge().value()).isZero();
		}
	}

	@Test
	void localLimiterCountsPerClockMinuteAndResetsWithTheNextOne() {
		long[] now = { 120_000 };
		LocalRequestRateLimiter limiter = new LocalRequestRateLimiter(() -> now[0]);
		assertThat(limiter.acquireNow("k", 2).allowed()).isTrue();
		assertThat(limiter.acquireNow("k", 2).allowed()).isTrue();
		RateLimitDecision refused = limiter.acquireNow("k", 2);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.reset().toMillis()).isEqualTo(60_000);
		now[0] += 60_000;
		assertThat(limiter.acquireNow("k", 2).allowed()).isTrue();
	}

	/** Windows follow the clock's minute; a burst straddling a boundary would count in two windows. */
	private static void waitUntilWellInsideAMinute() {
		long intoMinute = System.currentTimeMillis() % 60_000;
		if (intoMinute > 55_000) {
			try {
				Thread.sleep(60_000 - intoMinute + 100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
