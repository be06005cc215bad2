package io.fulcrum.routing.simulator.trace;

import org.jspecify.annotations.Nullable;

/**
 * One request of a trace.
 *
 * @param index position in the replay, 0-based; with {@code --repeat} it keeps counting across copies, so every
 * request has its own luck
 * @param arrivalNanos arrival on the virtual clock, from the start of the trace
 * @param promptTokens prompt (context) tokens
 * @param outputTokens tokens the request really generates; the router never sees this
 * @param tenant the calling tenant, or {@code null} when the trace has none
 * @param sloClass the SLO class named by the trace, or {@code null}
 */
public record TraceRequest(int index, long arrivalNanos, long promptTokens, long outputTokens, @Nullable String tenant,
		@Nullable String sloClass) {

	/** This request shifted by {@code offsetNanos} with a new index: a copy in a repeated replay. */
	public TraceRequest shifted(int newIndex, long offsetNanos) {
		return new TraceRequest(newIndex, this.arrivalNanos + offsetNanos, this.promptTokens, this.outputTokens,
				this.tenant, this.sloClass);
	}

}
