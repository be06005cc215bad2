package io.fulcrum.routing.simulator.scenario;

import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;

/**
 * A class of requests with one latency objective: e.g. interactive chat or batch summarisation.
 *
 * @param name the class name, as trace rows and reports name it
 * @param priority the router's priority class
 * @param stream whether these requests stream (the router then ranks by time to first token)
 * @param slo the objective; a request meets it when both its time to first token and its end-to-end time are
 * within the targets (unconstrained dimensions always pass)
 */
public record SloClass(String name, Priority priority, boolean stream, Slo slo) {

	/** Whether a served request with these latencies meets this class's objective. */
	public boolean met(long ttftNanos, long e2eNanos) {
		return (this.slo.ttftNanos() == 0 || ttftNanos <= this.slo.ttftNanos())
				&& (this.slo.e2eNanos() == 0 || e2eNanos <= this.slo.e2eNanos());
	}

}
