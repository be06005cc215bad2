package io.fulcrum.gateway.budget;

import java.util.HashMap;
import java.util.Map;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.BudgetStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The budgets in force, as one immutable snapshot the request path reads without touching the database. It is
 * reloaded from the {@link BudgetStore} at start, after every admin change on this replica, and every refresh
 * interval (so other replicas' admin changes arrive within it).
 */
public final class BudgetBook {

	private static final Logger log = LoggerFactory.getLogger(BudgetBook.class);

	private final BudgetStore store;

	private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

	public BudgetBook(BudgetStore store) {
		this.store = store;
	}

	/** The tenant's budget, or null. */
	public @Nullable Budget tenant(String tenantId) {
		return this.snapshot.tenants().get(tenantId);
	}

	/** The key's budget, or null. */
	public @Nullable Budget key(String keyId) {
		return this.snapshot.keys().get(keyId);
	}

	/**
	 * Reloads every budget; on failure keeps the last snapshot (and says so). Runs on a thread that may block: the
	 * embedded database's R2DBC driver (H2) runs queries on the subscribing thread.
	 */
	public Mono<Void> reload() {
		return this.store.all().collectList().subscribeOn(Schedulers.boundedElastic()).doOnNext(budgets -> {
			Map<String, Budget> tenants = new HashMap<>();
			Map<String, Budget> keys = new HashMap<>();
			for (Budget budget : budgets) {
				(budget.scope() == BudgetScope.TENANT ? tenants : keys).put(budget.subjectId(), budget);
			}
			this.snapshot = new Snapshot(Map.copyOf(tenants), Map.copyOf(keys));
		}).doOnError(ex -> log.warn("Could not reload budgets; the last ones loaded stay in force: {}", ex.toString()))
			.onErrorComplete()
			.then();
	}

	private record Snapshot(Map<String, Budget> tenants, Map<String, Budget> keys) {
	}

}
