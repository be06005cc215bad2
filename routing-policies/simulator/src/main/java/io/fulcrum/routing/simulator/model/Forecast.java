package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.telemetry.Outcome;

/**
 * What would happen to a request sent to a deployment now, as only an oracle can know.
 *
 * @param outcome how the attempt would end
 * @param ttftNanos time to first token from submission (for a failure: the time it takes to fail)
 * @param e2eNanos time to the last token from submission
 */
public record Forecast(Outcome outcome, long ttftNanos, long e2eNanos) {

	/** An attempt that fails, or whose wait cannot be known: never preferred by the oracle. */
	public static final Forecast FAILS = new Forecast(Outcome.ERROR, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);

	public boolean fails() {
		return this.outcome.failed();
	}

}
