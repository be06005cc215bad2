package io.fulcrum.routing.simulator.scenario;

import io.fulcrum.routing.telemetry.Normal;

/**
 * A lognormal latency in seconds, the usual shape of service times: a median and a heavy right tail set by
 * {@code sigma}, the standard deviation of the logarithm.
 *
 * @param median the median, in seconds
 * @param sigma the log-spread; 0 makes it a constant
 */
public record LatencyDistribution(double median, double sigma) {

	public LatencyDistribution {
		if (!(median > 0) || !(sigma >= 0)) {
			throw new IllegalArgumentException("a latency distribution needs a positive median and sigma >= 0");
		}
	}

	/** The value at standard-normal deviate {@code z}: the same {@code z} always gives the same latency. */
	public double at(double z) {
		return this.median * Math.exp(this.sigma * z);
	}

	/**
	 * Fits a lognormal to quantiles by least squares on {@code ln q = mu + sigma * z}.
	 *
	 * @param probabilities e.g. 0.5, 0.9, 0.99 (at least two, distinct)
	 * @param values the latencies at those probabilities, increasing
	 */
	public static LatencyDistribution fit(double[] probabilities, double[] values) {
		int n = probabilities.length;
		double[] z = new double[n];
		double[] y = new double[n];
		double zMean = 0;
		double yMean = 0;
		for (int i = 0; i < n; i++) {
			z[i] = Normal.inverseCdf(probabilities[i]);
			y[i] = Math.log(values[i]);
			zMean += z[i] / n;
			yMean += y[i] / n;
		}
		double covariance = 0;
		double variance = 0;
		for (int i = 0; i < n; i++) {
			covariance += (z[i] - zMean) * (y[i] - yMean);
			variance += (z[i] - zMean) * (z[i] - zMean);
		}
		double sigma = Math.max(0, covariance / variance);
		double mu = yMean - sigma * zMean;
		return new LatencyDistribution(Math.exp(mu), sigma);
	}

}
