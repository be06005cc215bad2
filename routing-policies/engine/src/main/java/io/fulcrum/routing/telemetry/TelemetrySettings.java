package io.fulcrum.routing.telemetry;

/**
 * How fast the router forgets and how much it trusts few observations.
 *
 * @param halfLifeNanos an observation this old counts half as much as a new one
 * @param priorWeight observations the prior is worth: with this many, learned and prior count equally
 * @param refreshNanos longest time a fitted estimate is reused before it is refitted from its sketch
 */
public record TelemetrySettings(long halfLifeNanos, double priorWeight, long refreshNanos) {

	/** One-minute half-life, a prior worth three observations, refits at most every 100 ms. */
	public static final TelemetrySettings DEFAULTS = new TelemetrySettings(60_000_000_000L, 3, 100_000_000L);

	public TelemetrySettings {
		if (halfLifeNanos <= 0 || priorWeight <= 0 || refreshNanos < 0) {
			throw new IllegalArgumentException("telemetry settings must be positive");
		}
	}

}
