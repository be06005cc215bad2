/**
 * Budgets enforced on the request path, across replicas. A request reserves its maximum cost against its tenant's
 * and its key's budget counters before any provider is called ({@link io.fulcrum.gateway.budget.BudgetGuard}),
 * and settles to what its attempts were charged once every attempt is metered; a failed request settles to zero.
 * Counters hold integer nano-dollars, in Redis (one Lua script per step) or in process
 * ({@link io.fulcrum.gateway.budget.SpendStore}).
 */
@NullMarked
package io.fulcrum.gateway.budget;

import org.jspecify.annotations.NullMarked;
