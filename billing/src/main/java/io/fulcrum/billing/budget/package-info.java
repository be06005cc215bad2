/**
 * Budgets: how much a tenant or an app key may spend per UTC day or month, and whether reaching it refuses
 * requests ({@link io.fulcrum.billing.budget.Enforcement#HARD}) or only alerts and asks for cheaper routes
 * ({@link io.fulcrum.billing.budget.Enforcement#SOFT}). Plain Java; the gateway enforces them, the R2DBC adapter
 * stores them.
 */
@NullMarked
package io.fulcrum.billing.budget;

import org.jspecify.annotations.NullMarked;
