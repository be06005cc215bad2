package io.fulcrum.routing.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBudgetTest {

	private static final long SECOND = 1_000_000_000L;

	private final ErrorBudget budget = new ErrorBudget(180 * SECOND);

	@Test
	void startsAtTheCallersHighPriceMeaningMeetTheTargetAtAnyCost() {
		assertThat(this.budget.price(5.0)).isEqualTo(5.0);
		assertThat(this.budget.price(1.0)).as("the first guess sticks").isEqualTo(5.0);
	}

	@Test
	void lowersThePriceWhileRoutesArePredictedToMissLessThanTheBudget() {
		this.budget.price(1.0);
		for (int i = 0; i < 500; i++) {
			this.budget.decided(0.999, 0.99); // 0.1% predicted misses against a 1% budget
		}
		assertThat(this.budget.price(1.0)).isLessThan(0.01);
	}

	@Test
	void raisesThePriceWhenRoutesArePredictedToMissMoreThanTheBudget() {
		this.budget.price(0.001);
		for (int i = 0; i < 500; i++) {
			this.budget.decided(0.97, 0.99);
		}
		assertThat(this.budget.price(0.001)).isGreaterThan(0.001);
	}

	@Test
	void neverPricesAPointOfProbabilityAboveTenTimesAtAnyCost() {
		this.budget.price(1.0);
		for (int i = 0; i < 5000; i++) {
			this.budget.decided(0.5, 0.99);
		}
		assertThat(this.budget.price(1.0)).isEqualTo(10.0);
	}

	@Test
	void measuredMissesBelowPredictedOnesLetTheFastLoopAcceptMore() {
		for (int i = 0; i < 1000; i++) {
			this.budget.record(true, 0.98, i * 100_000_000L); // predicted 2% misses, none happened
		}
		assertThat(this.budget.calibration()).isGreaterThan(3);
		assertThat(this.budget.attainment()).isEqualTo(1.0);
		ErrorBudget bold = new ErrorBudget(180 * SECOND);
		for (int i = 0; i < 1000; i++) {
			bold.record(i % 20 != 0, 0.999, i * 100_000_000L); // predicted 0.1%, 5% happened
		}
		assertThat(bold.calibration()).isEqualTo(0.75);
	}

}
