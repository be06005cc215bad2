package io.fulcrum.routing.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogNormalTest {

	@Test
	void normalInverseUndoesTheCdf() {
		for (double p : new double[] { 0.001, 0.02, 0.1, 0.5, 0.9, 0.99, 0.999 }) {
			assertThat(Normal.cdf(Normal.inverseCdf(p))).isCloseTo(p, within(1e-6));
		}
		assertThat(Normal.inverseCdf(0.99)).isCloseTo(2.326348, within(2e-5));
	}

	@Test
	void cdfAtTheMedianIsOneHalf() {
		LogNormal latency = LogNormal.ofMedian(0.4, 0.5);
		assertThat(latency.cdf(0.4)).isCloseTo(0.5, within(1e-7));
		assertThat(latency.quantileAtZ(Normal.inverseCdf(0.99))).isCloseTo(0.4 * Math.exp(0.5 * 2.326348),
				within(1e-5));
	}

	@Test
	void aScaledSumKeepsTheMeanAndVarianceOfItsParts() {
		LogNormal ttft = LogNormal.ofMedian(0.5, 0.4);
		LogNormal perToken = LogNormal.ofMedian(0.01, 0.2);
		LogNormal total = ttft.plusScaled(perToken, 200);
		assertThat(total.mean()).isCloseTo(ttft.mean() + 200 * perToken.mean(), within(1e-9));
		assertThat(total.variance()).isCloseTo(ttft.variance() + 200 * 200 * perToken.variance(), within(1e-9));
	}

}
