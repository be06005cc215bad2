package io.fulcrum.billing.budget;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A spending cap on a tenant or an app key, at the customer price.
 *
 * @param scope tenant or key
 * @param subjectId the tenant's or key's id
 * @param amountUsd the cap in US dollars per period; positive
 * @param period day or month, in UTC
 * @param enforcement hard (refuse) or soft (alert and route cheaper)
 * @param alertThreshold share of the cap (0 exclusive to 1 inclusive) from which the budget alerts and presses
 * the router towards cheaper routes
 */
public record Budget(BudgetScope scope, String subjectId, BigDecimal amountUsd, BudgetPeriod period,
		Enforcement enforcement, BigDecimal alertThreshold) {

	/** The alert threshold when none is given: 80% of the cap. */
	public static final BigDecimal DEFAULT_ALERT_THRESHOLD = new BigDecimal("0.8");

	/** A cap above this (a million dollars) is a typo; counters stay exact below 2^53 nano-dollars (9 million). */
	public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");

	public Budget {
		Objects.requireNonNull(scope, "scope");
		Objects.requireNonNull(subjectId, "subjectId");
		Objects.requireNonNull(amountUsd, "amountUsd");
		Objects.requireNonNull(period, "period");
		Objects.requireNonNull(enforcement, "enforcement");
		Objects.requireNonNull(alertThreshold, "alertThreshold");
		if (subjectId.isBlank()) {
			throw new IllegalArgumentException("a budget needs the id of its tenant or key");
		}
		if (amountUsd.signum() <= 0 || amountUsd.compareTo(MAX_AMOUNT) > 0) {
			throw new IllegalArgumentException("amount_usd must be more than 0 and at most 1000000");
		}
		if (amountUsd.scale() > 9 && amountUsd.stripTrailingZeros().scale() > 9) {
			throw new IllegalArgumentException("amount_usd must have at most 9 decimal places");
		}
		if (alertThreshold.signum() <= 0 || alertThreshold.compareTo(BigDecimal.ONE) > 0) {
			throw new IllegalArgumentException("alert_threshold must be more than 0 and at most 1");
		}
		if (alertThreshold.stripTrailingZeros().scale() > 4) {
			throw new IllegalArgumentException("alert_threshold must have at most 4 decimal places");
		}
	}

	/** How the budget is named to a client that hit it, e.g. {@code tenant t_1 monthly budget of 50.00 USD}. */
	public String describe() {
		return this.scope.label() + " " + this.subjectId + " " + (this.period == BudgetPeriod.DAY ? "daily" : "monthly")
				+ " budget of " + this.amountUsd.toPlainString() + " USD";
	}

}
