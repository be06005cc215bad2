package io.fulcrum.routing.scoring;

/**
 * Cheaper routes for a tenant close to its budget: once it has spent {@code above} of it, the router optimises
 * cost and accepts the lower SLO target {@code target}.
 *
 * @param above share of the budget spent (0 to 1) from which pressure applies
 * @param target the SLO target probability under pressure
 */
public record BudgetPressure(double above, double target) {

	public BudgetPressure {
		if (!(above > 0 && above <= 1)) {
			throw new IllegalArgumentException("budget pressure 'above' must be in (0, 1]");
		}
		if (!(target > 0 && target < 1)) {
			throw new IllegalArgumentException("budget pressure 'target' must be a probability in (0, 1)");
		}
	}

}
