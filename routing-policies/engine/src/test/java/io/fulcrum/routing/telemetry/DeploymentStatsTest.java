package io.fulcrum.routing.telemetry;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.LatencyPrior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DeploymentStatsTest {

	private static final long SECOND = 1_000_000_000L;

	private static final LatencyPrior PRIOR = new LatencyPrior(1.0, 50);

	private final DeploymentStats stats = new DeploymentStats("d", TelemetrySettings.DEFAULTS);

	@Test
	void withoutTrafficItPredictsThePrior() {
		LatencyEstimate estimate = this.stats.estimate(500, 0, PRIOR);
		assertThat(estimate.ttft().median()).isCloseTo(1.0, within(1e-9));
		assertThat(estimate.perToken().median()).isCloseTo(0.02, within(1e-9));
		assertThat(estimate.weight()).isZero();
	}

	@Test
	void learnsTimeToFirstTokenAndDecodeSpeedFromStreamedRequests() {
		for (int i = 0; i < 200; i++) {
			this.stats.observe(Observation.streamed(500, 101, 300_000_000L, 300_000_000L + 1_000_000_000L,
					i * 10_000_000L));
		}
		LatencyEstimate estimate = this.stats.estimate(500, 2 * SECOND, PRIOR);
		assertThat(estimate.ttft().median()).isCloseTo(0.3, within(0.02));
		assertThat(estimate.perToken().median()).isCloseTo(0.01, within(0.001));
		// Fits are refreshed every 100 ms once there is enough evidence, so the last few observations may not count yet.
		assertThat(estimate.weight()).isGreaterThan(180);
	}

	@Test
	void longPromptsAreLearnedSeparatelyFromShortOnes() {
		for (int i = 0; i < 500; i++) {
			this.stats.observe(Observation.streamed(100, 2, 200_000_000L, 210_000_000L, i * 10_000_000L));
			this.stats.observe(Observation.streamed(20_000, 2, 2_000_000_000L, 2_010_000_000L, i * 10_000_000L));
		}
		// Each band is pulled a little towards the deployment-wide fit, less as its own evidence grows.
		double shortPrompts = this.stats.estimate(100, 5 * SECOND, PRIOR).ttft().median();
		double longPrompts = this.stats.estimate(20_000, 5 * SECOND, PRIOR).ttft().median();
		assertThat(shortPrompts).isCloseTo(0.2, within(0.03));
		assertThat(longPrompts).isBetween(1.6, 2.0);
		assertThat(longPrompts / shortPrompts).isGreaterThan(7);
	}

	@Test
	void nonStreamedRequestsShareTheirTotalBetweenFirstTokenAndDecodeAsPredicted() {
		this.stats.observe(Observation.streamed(500, 101, 500_000_000L, 1_500_000_000L, 0));
		// Twice as slow overall, total only: both parts should double.
		for (int i = 1; i <= 100; i++) {
			this.stats.observe(new Observation(500, 101, -1, 3_000_000_000L, Outcome.SUCCESS, i * 10_000_000L));
		}
		LatencyEstimate estimate = this.stats.estimate(500, SECOND, PRIOR);
		assertThat(estimate.ttft().median()).isCloseTo(1.0, within(0.1));
		assertThat(estimate.perToken().median()).isCloseTo(0.02, within(0.002));
	}

	@Test
	void aFirstTokenIsLearnedWhenItArrivesAndNotAgainWhenTheAnswerEnds() {
		for (int i = 0; i < 100; i++) {
			this.stats.observeFirstToken(500, 2 * SECOND, i * 10_000_000L);
		}
		// The answers are still running, but the slow first tokens already show.
		assertThat(this.stats.estimate(500, SECOND, PRIOR).ttft().median()).isCloseTo(2.0, within(0.1));
		for (int i = 0; i < 100; i++) {
			this.stats.observe(Observation.streamedAfterFirstToken(500, 101, 2 * SECOND, 3 * SECOND,
					SECOND + i * 10_000_000L));
		}
		LatencyEstimate estimate = this.stats.estimate(500, 2 * SECOND, PRIOR);
		assertThat(estimate.ttft().median()).isCloseTo(2.0, within(0.1));
		assertThat(estimate.perToken().median()).isCloseTo(0.01, within(0.001));
		assertThat(estimate.weight()).isLessThan(101);
	}

	@Test
	void failuresLowerTheSuccessRateAndFadeAway() {
		for (int i = 0; i < 100; i++) {
			this.stats.observe(Observation.failed(500, Outcome.ERROR, i));
		}
		assertThat(this.stats.successRate(100)).isLessThan(0.05);
		this.stats.observe(Observation.streamed(500, 2, 1, 2, 600 * SECOND)); // ten half-lives later
		assertThat(this.stats.successRate(600 * SECOND)).isGreaterThan(0.9);
	}

	@Test
	void aFailureBurstFadesEvenWhenNoTrafficFollows() {
		for (int i = 0; i < 100; i++) {
			this.stats.observe(Observation.failed(500, Outcome.ERROR, i));
		}
		// No request since: the burst weighs ~0.1 request after ten half-lives, against the prior's three successes.
		assertThat(this.stats.successRate(600 * SECOND)).isGreaterThan(0.95);
		assertThat(this.stats.estimate(500, 600 * SECOND, PRIOR).successRate()).isGreaterThan(0.95);
	}

	@Test
	void learnedLatencyFadesBackToThePriorWithoutTraffic() {
		for (int i = 0; i < 100; i++) {
			this.stats.observe(Observation.streamed(500, 2, 5 * SECOND, 5 * SECOND + 10_000_000L, i * 10_000_000L));
		}
		assertThat(this.stats.estimate(500, SECOND, PRIOR).ttft().median()).isGreaterThan(4);
		// Twenty minutes later the evidence weighs ~1e-4 observations.
		assertThat(this.stats.estimate(500, 1200 * SECOND, PRIOR).ttft().median()).isCloseTo(1.0, within(0.01));
	}

	@Test
	void staleBackendLoadReportsAreIgnored() {
		this.stats.backendLoad(new BackendLoad(8, 4, 0.5, 0));
		assertThat(this.stats.backendLoad(SECOND)).isNotNull();
		assertThat(this.stats.backendLoad(10 * SECOND)).isNull();
	}

}
