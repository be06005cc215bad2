package io.fulcrum.simulator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a profile's latency settings into delays: a lognormal time to first token and the pause between tokens.
 */
final class Latency {

	/** The standard normal quantile of 0.99: a lognormal's p99 is {@code median * exp(sigma * Z99)}. */
	private static final double Z99 = 2.3263478740408408;

	/** Samples are capped at this multiple of the p99, so one unlucky draw cannot stall a test for minutes. */
	private static final double MAX_OVER_P99 = 10;

	private Latency() {
	}

	/** A sampled time to first token, in nanoseconds; 0 when the profile has none. */
	static long ttftNanos(ModelProfile profile) {
		double median = profile.ttftMedianMs();
		if (median <= 0) {
			return 0;
		}
		double p99 = profile.ttftP99Ms();
		if (p99 <= median) {
			return millisToNanos(median);
		}
		double sigma = Math.log(p99 / median) / Z99;
		double sample = median * Math.exp(sigma * ThreadLocalRandom.current().nextGaussian());
		return millisToNanos(Math.min(sample, p99 * MAX_OVER_P99));
	}

	/** The pause between two tokens, in nanoseconds; 0 for unlimited speed. */
	static long tokenIntervalNanos(ModelProfile profile) {
		double tokensPerSecond = profile.tokensPerSecond();
		return (tokensPerSecond > 0) ? (long) (1e9 / tokensPerSecond) : 0;
	}

	private static long millisToNanos(double millis) {
		return (long) (millis * 1e6);
	}

}
