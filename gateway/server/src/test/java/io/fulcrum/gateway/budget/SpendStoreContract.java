package io.fulcrum.gateway.budget;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.gateway.budget.SpendStore.Counter;
import io.fulcrum.gateway.budget.SpendStore.Reservation;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SpendStore} does, whatever keeps the counters. Amounts are nano-dollars. */
abstract class SpendStoreContract {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final long LEASE = 60_000;

	/** Unique per test, so runs (and other tests on the same Redis) never share counters. */
	final String tag = "{test-" + UUID.randomUUID() + "}";

	abstract SpendStore store();

	/** Lets {@code millis} pass for leases. */
	abstract void elapse(long millis) throws InterruptedException;

	Counter counter(String name, long limit, boolean hard) {
		return new Counter("fulcrum:budget-test:" + this.tag + ":" + name, limit, hard,
				System.currentTimeMillis() + 3_600_000);
	}

	Reservation reserve(List<Counter> counters, String hold, long amount) {
		return store().reserve(counters, hold, amount, LEASE).block(WAIT);
	}

	void seed(Counter counter, long spent) {
		store().seed(counter, spent).block(WAIT);
	}

	@Test
	void anUnseededCounterIsReportedAndNothingIsReserved() {
		Counter tenant = counter("t", 1_000, true);
		Counter key = counter("k", 1_000, true);
		seed(tenant, 0);
		Reservation first = reserve(List.of(tenant, key), "h1", 100);
		assertThat(first.unseeded()).isEqualTo(1);
		assertThat(first.reserved()).isFalse();
		seed(key, 250);
		Reservation second = reserve(List.of(tenant, key), "h2", 100);
		assertThat(second.reserved()).isTrue();
		assertThat(second.used()).containsExactly(0, 250);
	}

	@Test
	void aSeedNeverOverwritesACounterThatExists() {
		Counter tenant = counter("t", 1_000, true);
		seed(tenant, 300);
		seed(tenant, 0);
		assertThat(reserve(List.of(tenant), "h", 1).used()).containsExactly(300);
	}

	@Test
	void aHardCounterRefusesAReservationThatWouldPassItsLimitAndReservesNothingElse() {
		Counter tenant = counter("t", 10_000, true);
		Counter key = counter("k", 1_000, true);
		seed(tenant, 0);
		seed(key, 600);
		assertThat(reserve(List.of(tenant, key), "h1", 400).reserved()).isTrue();
		Reservation refused = reserve(List.of(tenant, key), "h2", 1);
		assertThat(refused.refused()).isEqualTo(1);
		assertThat(refused.used()).containsExactly(400, 1_000);
		// The refusal left the tenant's counter as it was.
		assertThat(reserve(List.of(tenant), "h3", 0).used()).containsExactly(400);
	}

	@Test
	void aSoftCounterNeverRefusesButCountsEverything() {
		Counter soft = counter("s", 100, false);
		seed(soft, 0);
		for (int i = 0; i < 3; i++) {
			assertThat(reserve(List.of(soft), "h" + i, 80).reserved()).isTrue();
		}
		assertThat(reserve(List.of(soft), "h3", 0).used()).containsExactly(240);
	}

	@Test
	void settlingReplacesTheHoldByTheActualCostAndReleasingIsSettlingToZero() {
		Counter tenant = counter("t", 1_000, true);
		seed(tenant, 100);
		reserve(List.of(tenant), "served", 500);
		reserve(List.of(tenant), "failed", 300);
		store().settle(List.of(tenant), "served", 120).block(WAIT);
		store().settle(List.of(tenant), "failed", 0).block(WAIT);
		assertThat(reserve(List.of(tenant), "probe", 0).used()).containsExactly(220);
	}

	@Test
	void aHoldWhoseLeaseRanOutNoLongerCountsAndItsLateSettlementStillAddsTheCost() throws InterruptedException {
		Counter tenant = counter("t", 1_000, true);
		seed(tenant, 0);
		assertThat(store().reserve(List.of(tenant), "crashed", 900, 50).block(WAIT).reserved()).isTrue();
		assertThat(reserve(List.of(tenant), "refused", 200).reserved()).isFalse();
		elapse(200);
		assertThat(reserve(List.of(tenant), "after", 200).used()).containsExactly(0);
		store().settle(List.of(tenant), "crashed", 30).block(WAIT);
		assertThat(reserve(List.of(tenant), "probe", 0).used()).containsExactly(230);
	}

	@Test
	void holdsOfNothingExpireAndSettleHarmlessly() throws InterruptedException {
		Counter tenant = counter("t", 1_000, true);
		seed(tenant, 10);
		store().reserve(List.of(tenant), "expires", 0, 50).block(WAIT);
		reserve(List.of(tenant), "settles", 0);
		store().settle(List.of(tenant), "settles", 0).block(WAIT);
		elapse(200);
		assertThat(reserve(List.of(tenant), "probe", 0).used()).containsExactly(10);
	}

	@Test
	void concurrentReservationsNeverTogetherPassAHardLimit() {
		Counter tenant = counter("t", 10_000, true);
		seed(tenant, 0);
		AtomicInteger granted = new AtomicInteger();
		Flux.range(0, 200)
			.flatMap(i -> store().reserve(List.of(tenant), "h" + i, 300, LEASE), 64)
			.doOnNext(r -> {
				if (r.reserved()) {
					granted.incrementAndGet();
				}
			})
			.blockLast(WAIT);
		assertThat(granted.get()).isEqualTo(33);
		assertThat(reserve(List.of(tenant), "probe", 0).used()).containsExactly(9_900);
	}

}
