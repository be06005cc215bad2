package io.fulcrum.gateway.budget;

import java.time.Duration;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;

/**
 * 402 {@code budget_exceeded}: a hard budget has no room for this request's maximum cost. The message names the
 * budget (tenant or key, period, limit), never another tenant's data; {@code Retry-After} is the period's end.
 */
public final class BudgetExceededException extends GatewayException {

	public BudgetExceededException(Budget budget, BudgetPeriod.Window window, Duration untilPeriodEnd) {
		super(ErrorKind.BUDGET_EXCEEDED, "The " + budget.describe() + " for " + window
				+ " has no room for this request's maximum cost; it resets at " + window.end()
				+ ". Lower max_tokens, or ask an administrator to raise the budget.", null, "budget_exceeded",
				untilPeriodEnd);
	}

}
