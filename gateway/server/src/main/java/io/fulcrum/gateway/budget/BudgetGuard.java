package io.fulcrum.gateway.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.Enforcement;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Puts a request under its tenant's and its key's budgets. Once per request, after rate-limit admission and before
 * routing, it reserves the request's maximum cost on the most expensive deployment of its model alias (so no
 * fallback or retry can need more), atomically on both counters; a hard budget without room refuses with 402
 * {@code budget_exceeded}. When the request has ended and every attempt has been metered, the hold is replaced by
 * what the attempts were charged (failed attempts are charged nothing), so a request that failed or was cancelled
 * before any output releases its reservation whole.
 *
 * <p>A counter the store does not have (first use in a period, or Redis was flushed) is seeded from the ledger's
 * total for the period, after this replica's pending ledger writes are flushed.
 */
public final class BudgetGuard {

	private static final Logger log = LoggerFactory.getLogger(BudgetGuard.class);

	/** Counters count nano-dollars (10^-9 USD). */
	static final int NANO_SCALE = 9;

	/** A store keeps a counter this long after its period ends (replicas' clocks may differ a little). */
	private static final Duration COUNTER_GRACE = Duration.ofDays(1);

	private final BudgetBook book;

	private final SpendStore store;

	private final UsageReport report;

	private final UsageLedger ledger;

	private final MaxCost maxCost;

	private final BudgetAlerts alerts;

	private final Duration lease;

	private final String prefix;

	private final Clock clock;

	/**
	 * @param lease how long a reservation holds if its request never settles (its replica crashed)
	 * @param prefix the start of every counter's key in the store
	 */
	public BudgetGuard(BudgetBook book, SpendStore store, UsageReport report, UsageLedger ledger, MaxCost maxCost,
			BudgetAlerts alerts, Duration lease, String prefix, Clock clock) {
		this.book = book;
		this.store = store;
		this.report = report;
		this.ledger = ledger;
		this.maxCost = maxCost;
		this.alerts = alerts;
		this.lease = lease;
		this.prefix = prefix;
		this.clock = clock;
	}

	/** {@code work} runs only once the request's maximum cost is reserved; its end settles the reservation. */
	public <T> Flux<T> request(InferenceRequest request, Flux<T> work) {
		Budget tenant = this.book.tenant(request.tenantId());
		Budget key = this.book.key(request.keyId());
		if (tenant == null && key == null) {
			return work;
		}
		return Flux.usingWhen(Mono.defer(() -> reserve(request, applied(request, tenant, key))), hold -> work,
				this::end, (hold, error) -> end(hold), this::end);
	}

	private List<Applied> applied(InferenceRequest request, @Nullable Budget tenant, @Nullable Budget key) {
		Instant now = this.clock.instant();
		List<Applied> applied = new ArrayList<>(2);
		for (Budget budget : new Budget[] { tenant, key }) {
			if (budget == null) {
				continue;
			}
			BudgetPeriod.Window window = budget.period().window(now);
			String name = this.prefix + "{" + request.tenantId() + "}:"
					+ (budget.scope() == BudgetScope.TENANT ? "t" : "k:" + budget.subjectId()) + ":" + window.id();
			SpendStore.Counter counter = new SpendStore.Counter(name, nanos(budget.amountUsd(), RoundingMode.DOWN),
					budget.enforcement() == Enforcement.HARD, window.end().plus(COUNTER_GRACE).toEpochMilli());
			applied.add(new Applied(budget, window, counter));
		}
		return applied;
	}

	private Mono<Hold> reserve(InferenceRequest request, List<Applied> applied) {
		BigDecimal max = BigDecimal.ZERO;
		for (Deployment deployment : request.alias().deployments()) {
			max = max.max(this.maxCost.of(request, deployment));
		}
		long amount = nanos(max, RoundingMode.CEILING);
		List<SpendStore.Counter> counters = applied.stream().map(Applied::counter).toList();
		return tryReserve(request, applied, counters, amount, applied.size()).map(reservation -> {
			if (reservation.refused() >= 0) {
				Applied refused = applied.get(reservation.refused());
				this.alerts.refused(refused.budget());
				throw new BudgetExceededException(refused.budget(), refused.window(),
						Duration.between(this.clock.instant(), refused.window().end()));
			}
			request.budgetUsed(pressure(applied, reservation.used()));
			return new Hold(request, counters);
		});
	}

	/** Reserves, seeding each counter the store does not have yet (at most once each). */
	private Mono<SpendStore.Reservation> tryReserve(InferenceRequest request, List<Applied> applied,
			List<SpendStore.Counter> counters, long amount, int seedsLeft) {
		return this.store.reserve(counters, request.requestId(), amount, this.lease.toMillis()).flatMap(reservation -> {
			if (reservation.unseeded() < 0) {
				return Mono.just(reservation);
			}
			if (seedsLeft == 0) {
				return Mono.error(new IllegalStateException(
						"budget counter " + counters.get(reservation.unseeded()).key() + " stays unseeded"));
			}
			return seed(request, applied.get(reservation.unseeded()))
				.then(Mono.defer(() -> tryReserve(request, applied, counters, amount, seedsLeft - 1)));
		});
	}

	private Mono<Void> seed(InferenceRequest request, Applied applied) {
		String keyId = applied.budget().scope() == BudgetScope.KEY ? applied.budget().subjectId() : null;
		// Off the event loop: the embedded database's R2DBC driver (H2) runs queries on the subscribing thread.
		return this.ledger.flush()
			.then(this.report.spent(request.tenantId(), keyId, applied.window().start(), applied.window().end())
				.subscribeOn(Schedulers.boundedElastic()))
			.flatMap(spent -> {
				log.debug("Seeding budget counter {} with {} USD from the ledger", applied.counter().key(), spent);
				return this.store.seed(applied.counter(), nanos(spent, RoundingMode.HALF_EVEN));
			});
	}

	/**
	 * The share of the most used budget, for the router's budget pressure; a soft budget past its alert threshold
	 * counts as full, so the policy's {@code budget-pressure} applies whatever its {@code above}.
	 */
	private double pressure(List<Applied> applied, long[] used) {
		double most = 0;
		for (int i = 0; i < applied.size(); i++) {
			Budget budget = applied.get(i).budget();
			double share = (double) used[i] / applied.get(i).counter().limit();
			if (share >= budget.alertThreshold().doubleValue()) {
				this.alerts.crossed(budget, applied.get(i).window(), share);
				if (budget.enforcement() == Enforcement.SOFT) {
					share = Math.max(share, 1);
				}
			}
			most = Math.max(most, share);
		}
		return most;
	}

	/**
	 * Settles once every attempt is metered, which may be after this end signal; the client's response does not
	 * wait for it. A settlement that fails leaves the hold to expire with its lease.
	 */
	private Mono<Void> end(Hold hold) {
		InferenceRequest request = hold.request();
		request.whenMetered(charged -> this.store
			.settle(hold.counters(), request.requestId(), nanos(charged, RoundingMode.HALF_EVEN))
			.subscribe(null, ex -> log.warn("Could not settle the budget hold of request {}: {}", request.requestId(),
					ex.toString())));
		return Mono.empty();
	}

	/** Dollars to nano-dollars. */
	static long nanos(BigDecimal usd, RoundingMode rounding) {
		return usd.setScale(NANO_SCALE, rounding).unscaledValue().longValueExact();
	}

	private record Applied(Budget budget, BudgetPeriod.Window window, SpendStore.Counter counter) {
	}

	/** A reservation held for one request (under its request id) until it is settled. */
	private record Hold(InferenceRequest request, List<SpendStore.Counter> counters) {
	}

}
