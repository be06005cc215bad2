package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The limiter's semantics, checked the same way against the real Redis at 127.0.0.1:6379 and against the in-process
 * store of the embedded default.
 */
class RateLimiterTest {

	static final String REDIS = "redis://127.0.0.1:6379";

	private static final List<RedisQuotaStore> opened = new CopyOnWriteArrayList<>();

	static Stream<Supplier<QuotaStore>> stores() {
		return Stream.of(RateLimiterTest::redis, LocalQuotaStore::new);
	}

	static RedisQuotaStore redis() {
		RedisQuotaStore store = new RedisQuotaStore(REDIS, RedisQuotaStore.FailureMode.OPEN, 1,
				new SimpleMeterRegistry());
		opened.add(store);
		return store;
	}

	@AfterAll
	static void close() {
		opened.forEach(RedisQuotaStore::close);
	}

	private final String tenant = "ten_" + UUID.randomUUID();

	@ParameterizedTest
	@MethodSource("stores")
	void admitsExactlyTheLimitWhenManyRequestsRaceForIt(Supplier<QuotaStore> store) {
		RateLimiter limiter = limiter(store.get(), new Limits(100, 0, 0));
		long started = System.nanoTime();
		long admitted = race(List.of(limiter), 300);
		// A bucket of 100 per minute refills about 1.7 per second while the race runs.
		assertThat(admitted).isBetween(100L, 100 + refilled(100, started) + 1);
	}

	@Test
	void threeReplicasSharingRedisAdmitTheLimitTogether() {
		List<RateLimiter> replicas = List.of(limiter(redis(), new Limits(600, 0, 0)),
				limiter(redis(), new Limits(600, 0, 0)), limiter(redis(), new Limits(600, 0, 0)));
		long started = System.nanoTime();
		long admitted = race(replicas, 1500);
		assertThat(admitted).as("within 1%% of 600 plus what refills during the race")
			.isBetween(600L, (long) Math.ceil((600 + refilled(600, started)) * 1.01));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void reservesEstimatedTokensAndSettlesToTheActualCount(Supplier<QuotaStore> store) {
		RateLimiter limiter = limiter(store.get(), new Limits(0, 1000, 0));
		Admission first = admit(limiter, 600);
		assertThat(first.status().remainingTokens()).isBetween(400L, 401L);
		assertThatThrownBy(() -> admit(limiter, 600)).isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("Rate limit reached for this API key: 1000 tokens per minute")
			.satisfies(ex -> assertThat(((RateLimitExceededException) ex).retryAfter())
				.isGreaterThan(Duration.ofSeconds(10)));
		// The first request used only 100 tokens: 500 come back.
		limiter.finish(first, 100).block();
		assertThat(admit(limiter, 600).status().remainingTokens()).isBetween(300L, 302L);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aStreamThatRanPastItsReservationTakesTheExcessFromTheNextWindow(Supplier<QuotaStore> store) {
		RateLimiter limiter = limiter(store.get(), new Limits(0, 1000, 0));
		Admission stream = admit(limiter, 100);
		limiter.finish(stream, 1500).block(); // used 1,400 more than reserved: the bucket is 500 in debt
		assertThatThrownBy(() -> admit(limiter, 10)).isInstanceOf(RateLimitExceededException.class)
			.satisfies(ex -> assertThat(((RateLimitExceededException) ex).retryAfter())
				.isGreaterThan(Duration.ofSeconds(29)));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void concurrentRequestsAreLimitedAndReleasedWhenTheyEnd(Supplier<QuotaStore> store) {
		RateLimiter limiter = limiter(store.get(), new Limits(0, 0, 2));
		Admission one = admit(limiter, 0);
		admit(limiter, 0);
		assertThatThrownBy(() -> admit(limiter, 0)).isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("this API key: 2 concurrent requests");
		limiter.finish(one, 0).block();
		assertThat(admit(limiter, 0)).isNotNull();
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aModelLimitRefusalGivesBackWhatTheKeyHadTaken(Supplier<QuotaStore> store) {
		String alias = "chat-" + this.tenant;
		RateLimiter limiter = new RateLimiter(store.get(), new LimitBook(
				Map.of(LimitBook.DEFAULT, new Limits(10, 0, 0)), Map.of(), Map.of(alias, new Limits(1, 0, 0)),
				Map.of()));
		limiter.admit("key", this.tenant, alias, () -> 0).block();
		assertThatThrownBy(() -> limiter.admit("key", this.tenant, alias, () -> 0).block())
			.hasMessageContaining("model '" + alias + "': 1 requests per minute");
		// The key's bucket got its request back: 8 left after this third admission, not 7.
		Admission other = limiter.admit("key", this.tenant, "other-" + this.tenant, () -> 0).block();
		assertThat(other.status().remainingRequests()).isEqualTo(8);
	}

	@Test
	void scriptsAreSentAgainWhenRedisHasForgottenThem() {
		RateLimiter limiter = limiter(redis(), new Limits(10, 0, 0));
		admit(limiter, 0);
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(REDIS);
		try (var connection = client.connect()) {
			connection.sync().scriptFlush();
		}
		finally {
			client.shutdown();
		}
		assertThat(admit(limiter, 0).status().remainingRequests()).isEqualTo(8);
	}

	@Test
	void aRequestLargerThanAMinutesTokensIsRefusedWithAClearMessage() {
		RateLimiter limiter = limiter(new LocalQuotaStore(), new Limits(0, 1000, 0));
		assertThatThrownBy(() -> admit(limiter, 5000)).isInstanceOf(RateLimitExceededException.class)
			.hasMessageContaining("needs about 5000 tokens, more than this API key may use in a minute (1000)");
	}

	@Test
	void failsOpenToPerReplicaLimitsWhenRedisIsUnreachable() {
		RedisQuotaStore unreachable = new RedisQuotaStore("redis://127.0.0.1:1", RedisQuotaStore.FailureMode.OPEN,
				2, new SimpleMeterRegistry());
		opened.add(unreachable);
		RateLimiter limiter = limiter(unreachable, new Limits(10, 0, 0));
		long admitted = 0;
		for (int i = 0; i < 10; i++) {
			admitted += limiter.admit("key", this.tenant, "chat", () -> 0)
				.map(a -> 1L)
				.onErrorResume(RateLimitExceededException.class, ex -> Mono.just(0L))
				.block();
		}
		assertThat(admitted).as("10 per minute over 2 replicas: 5 each").isEqualTo(5);
		assertThat(unreachable.available()).isFalse();
	}

	@Test
	void failsClosedWhenConfiguredTo() {
		RedisQuotaStore unreachable = new RedisQuotaStore("redis://127.0.0.1:1",
				RedisQuotaStore.FailureMode.CLOSED, 1, new SimpleMeterRegistry());
		opened.add(unreachable);
		RateLimiter limiter = limiter(unreachable, new Limits(10, 0, 0));
		assertThatThrownBy(() -> limiter.admit("key", this.tenant, "chat", () -> 0).block())
			.isInstanceOf(RateLimiterUnavailableException.class);
	}

	@Test
	void aDeploymentAtItsLimitIsRefusedSoTheRequestCanFallBack() {
		RateLimiter limiter = new RateLimiter(new LocalQuotaStore(),
				new LimitBook(Map.of(), Map.of(), Map.of(), Map.of("gpt", new Limits(1, 0, 0))));
		limiter.admitAttempt("gpt", () -> 10, false).block();
		assertThatThrownBy(() -> limiter.admitAttempt("gpt", () -> 10, false).block())
			.hasMessageContaining("deployment 'gpt': 1 requests per minute");
		assertThat(limiter.admitAttempt("other", () -> 10, false).block()).isEqualTo(Admission.NONE);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void nearADeploymentsLimitBatchWorkLeavesRoomForInteractiveWork(Supplier<QuotaStore> store) {
		String deployment = "gpt-" + this.tenant;
		RateLimiter limiter = new RateLimiter(store.get(),
				new LimitBook(Map.of(), Map.of(), Map.of(), Map.of(deployment, new Limits(10, 0, 0))));
		int batch = 0;
		while (limiter.admitAttempt(deployment, () -> 0, true).onErrorResume(ex -> Mono.empty()).block() != null) {
			batch++;
		}
		assertThat(batch).as("batch takes all but the last 20%").isEqualTo(8);
		assertThat(limiter.admitAttempt(deployment, () -> 0, false).block()).isNotNull();
		assertThat(limiter.admitAttempt(deployment, () -> 0, false).block()).isNotNull();
		assertThatThrownBy(() -> limiter.admitAttempt(deployment, () -> 0, false).block())
			.isInstanceOf(RateLimitExceededException.class);
	}

	/** What a bucket of {@code perMinute} refills between {@code startedNanos} and now. */
	private static long refilled(long perMinute, long startedNanos) {
		return (long) Math.ceil(perMinute * (System.nanoTime() - startedNanos) / 60e9);
	}

	private RateLimiter limiter(QuotaStore store, Limits key) {
		return new RateLimiter(store, new LimitBook(Map.of(LimitBook.DEFAULT, key), Map.of(), Map.of(), Map.of()));
	}

	private Admission admit(RateLimiter limiter, long tokens) {
		return limiter.admit("key", this.tenant, "chat", () -> tokens).block(Duration.ofSeconds(5));
	}

	/** Fires {@code requests} admissions at once, spread over the limiters; returns how many were admitted. */
	private long race(List<RateLimiter> limiters, int requests) {
		AtomicLong admitted = new AtomicLong();
		Flux.range(0, requests)
			.flatMap(i -> limiters.get(i % limiters.size())
				.admit("key", this.tenant, "chat", () -> 0)
				.subscribeOn(Schedulers.parallel())
				.doOnNext(a -> admitted.incrementAndGet())
				.onErrorResume(RateLimitExceededException.class, ex -> Mono.empty()), 64)
			.blockLast(Duration.ofSeconds(30));
		return admitted.get();
	}

}
