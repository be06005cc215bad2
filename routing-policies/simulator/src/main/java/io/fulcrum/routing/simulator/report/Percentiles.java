package io.fulcrum.routing.simulator.report;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in seconds (NaN when nothing was recorded).
 *
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 */
public record Percentiles(double p50, double p95, double p99) {

	static Percentiles of(Histogram micros) {
		if (micros.getTotalCount() == 0) {
			return new Percentiles(Double.NaN, Double.NaN, Double.NaN);
		}
		return new Percentiles(micros.getValueAtPercentile(50) / 1e6, micros.getValueAtPercentile(95) / 1e6,
				micros.getValueAtPercentile(99) / 1e6);
	}

}
