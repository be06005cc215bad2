package io.fulcrum.routing.simulator.scenario;

/**
 * A stretch of virtual time during which one deployment misbehaves.
 *
 * @param deployment the deployment id
 * @param kind a brownout (slower) or an outage (errors)
 * @param fromNanos start, from the start of the trace
 * @param toNanos end (exclusive)
 * @param factor latency multiplier of a brownout (1 for an outage)
 * @param errorRate probability that an attempt fails during an outage (0 for a brownout)
 */
public record Window(String deployment, Kind kind, long fromNanos, long toNanos, double factor, double errorRate) {

	/** What goes wrong. */
	public enum Kind {

		/** Latencies (time to first token and per token) multiplied by {@code factor}. */
		BROWNOUT,

		/** Attempts fail with probability {@code errorRate}. */
		OUTAGE

	}

	public boolean covers(long atNanos) {
		return atNanos >= this.fromNanos && atNanos < this.toNanos;
	}

}
