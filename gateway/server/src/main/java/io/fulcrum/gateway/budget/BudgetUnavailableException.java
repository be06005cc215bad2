package io.fulcrum.gateway.budget;

import java.time.Duration;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;

/** Redis cannot be reached and budgets are configured to fail closed. */
public final class BudgetUnavailableException extends GatewayException {

	public BudgetUnavailableException() {
		super(ErrorKind.UNAVAILABLE, "Budgets cannot be checked right now (their store is unreachable); retry shortly",
				null, "budget_unavailable", Duration.ofSeconds(1));
	}

}
