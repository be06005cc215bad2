package io.fulcrum.gateway.budget;

import java.time.Duration;
import java.util.List;

import io.fulcrum.gateway.ratelimit.RedisQuotaStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Lua scripts against the real Redis at 127.0.0.1:6379, on the rate limiter's connection. */
class RedisSpendStoreTest extends SpendStoreContract {

	private static RedisQuotaStore redis;

	private static RedisSpendStore store;

	@BeforeAll
	static void connect() {
		redis = new RedisQuotaStore("redis://127.0.0.1:6379", RedisQuotaStore.FailureMode.CLOSED, 1,
				new SimpleMeterRegistry());
		store = new RedisSpendStore(redis, false, new SimpleMeterRegistry());
		// The first call connects and loads the scripts, which may take longer than a call's timeout.
		SpendStore.Counter warm = new SpendStore.Counter("fulcrum:budget-test:{warm}", 1, true,
				System.currentTimeMillis() + 60_000);
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> store.seed(warm, 0).then(store.reserve(List.of(warm), "w", 0, 1000)).block(WAIT) != null);
	}

	@AfterAll
	static void close() {
		redis.close();
	}

	@Override
	SpendStore store() {
		return store;
	}

	@Override
	void elapse(long millis) throws InterruptedException {
		// Leases run on Redis's own clock.
		Thread.sleep(millis);
	}

	@Test
	void failingClosedRefusesWhenRedisCannotBeReached() {
		RedisQuotaStore unreachable = new RedisQuotaStore("redis://127.0.0.1:1", RedisQuotaStore.FailureMode.CLOSED,
				1, new SimpleMeterRegistry());
		try {
			RedisSpendStore closed = new RedisSpendStore(unreachable, false, new SimpleMeterRegistry());
			assertThatThrownBy(() -> closed.reserve(List.of(counter("t", 10, true)), "h", 1, LEASE).block(WAIT))
				.isInstanceOf(BudgetUnavailableException.class);
		}
		finally {
			unreachable.close();
		}
	}

	@Test
	void failingOpenDecidesOnThisReplicaAndSettlesWhereItReserved() {
		RedisQuotaStore unreachable = new RedisQuotaStore("redis://127.0.0.1:1", RedisQuotaStore.FailureMode.OPEN,
				1, new SimpleMeterRegistry());
		try {
			RedisSpendStore open = new RedisSpendStore(unreachable, true, new SimpleMeterRegistry());
			SpendStore.Counter tenant = counter("t", 1_000, true);
			open.seed(tenant, 0).block(WAIT);
			assertThat(open.reserve(List.of(tenant), "h", 800, LEASE).block(WAIT).reserved()).isTrue();
			open.settle(List.of(tenant), "h", 100).block(WAIT);
			assertThat(open.reserve(List.of(tenant), "p", 0, LEASE).block(WAIT).used()).containsExactly(100);
		}
		finally {
			unreachable.close();
		}
	}

}
