package io.fulcrum.routing.scoring;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How the SLO-aware policy decides.
 *
 * @param objective what to optimise under the SLO
 * @param costWeight weight of normalised cost, for {@link Objective#WEIGHTED}
 * @param latencyWeight weight of normalised latency, for {@link Objective#WEIGHTED}
 * @param whenNoneQualify the rule when no candidate is predicted to meet the SLO
 * @param exploration share of requests (0 to 1) that may go to a candidate the router knows too little about
 * @param minWeight decayed observations below which a candidate counts as too little known
 * @param probeConcurrency requests at most in flight to a too-little-known candidate, so that a deployment whose
 * estimate fell back to an optimistic prior cannot swallow a burst before its first answers arrive
 * @param budgetPressure cheaper routing near the budget, or {@code null}
 * @param spendErrorBudget rank by cost against a price of probability that each class's error budget sets (see
 * {@link ErrorBudget}); off, every request must reach the SLO's target probability itself
 * @param hedging when to plan a second, delayed attempt ({@link HedgeSettings#OFF} by default)
 */
public record ScoringSettings(Objective objective, double costWeight, double latencyWeight,
		WhenNoneQualify whenNoneQualify, double exploration, double minWeight, int probeConcurrency,
		@Nullable BudgetPressure budgetPressure, boolean spendErrorBudget, HedgeSettings hedging) {

	/**
	 * Cost under SLO, fastest when none qualifies, 2% exploration, probes of 2 until 10 observations, error budget
	 * spent.
	 */
	public static final ScoringSettings DEFAULTS = new ScoringSettings(Objective.COST_UNDER_SLO, 0.5, 0.5,
			WhenNoneQualify.FASTEST, 0.02, 10, 2, null, true, HedgeSettings.OFF);

	/** Settings without hedging. */
	public ScoringSettings(Objective objective, double costWeight, double latencyWeight,
			WhenNoneQualify whenNoneQualify, double exploration, double minWeight, int probeConcurrency,
			@Nullable BudgetPressure budgetPressure, boolean spendErrorBudget) {
		this(objective, costWeight, latencyWeight, whenNoneQualify, exploration, minWeight, probeConcurrency,
				budgetPressure, spendErrorBudget, HedgeSettings.OFF);
	}

	/** These settings with the error budget spent or not. */
	public ScoringSettings withErrorBudget(boolean spend) {
		return new ScoringSettings(this.objective, this.costWeight, this.latencyWeight, this.whenNoneQualify,
				this.exploration, this.minWeight, this.probeConcurrency, this.budgetPressure, spend, this.hedging);
	}

	/** These settings with {@code hedging}. */
	public ScoringSettings withHedging(HedgeSettings hedging) {
		return new ScoringSettings(this.objective, this.costWeight, this.latencyWeight, this.whenNoneQualify,
				this.exploration, this.minWeight, this.probeConcurrency, this.budgetPressure, this.spendErrorBudget,
				hedging);
	}

	public ScoringSettings {
		Objects.requireNonNull(hedging, "hedging");
		if (costWeight < 0 || latencyWeight < 0 || costWeight + latencyWeight <= 0) {
			throw new IllegalArgumentException("weights must not be negative and must not both be zero");
		}
		if (!(exploration >= 0 && exploration <= 0.5)) {
			throw new IllegalArgumentException("exploration must be between 0 and 0.5");
		}
		if (minWeight < 0 || probeConcurrency < 1) {
			throw new IllegalArgumentException("minWeight must not be negative and probeConcurrency must be >= 1");
		}
	}

}
