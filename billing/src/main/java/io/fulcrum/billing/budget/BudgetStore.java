package io.fulcrum.billing.budget;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where budgets are kept. At most one budget per tenant and per key. */
public interface BudgetStore {

	/** Every budget. */
	Flux<Budget> all();

	/** The budget of a tenant or key; empty when it has none. */
	Mono<Budget> find(BudgetScope scope, String subjectId);

	/** Creates or replaces the subject's budget. */
	Mono<Budget> put(Budget budget);

	/** Removes the subject's budget; {@code true} when there was one. */
	Mono<Boolean> delete(BudgetScope scope, String subjectId);

}
