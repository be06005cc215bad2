package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.simulator.scenario.SloClass;
import io.fulcrum.routing.simulator.trace.TraceRequest;

/** One request on its way through the simulation: its route and where it is on it. */
final class Flight {

	final TraceRequest request;

	final SloClass sloClass;

	final String tenant;

	int[] route;

	/** The probability the router predicted for the route's first choice to meet the SLO (1 when it did not say). */
	double predicted = 1;

	int next;

	int fallbacks;

	/** When the current attempt was submitted to its deployment. */
	long attemptStart;

	Flight(TraceRequest request, SloClass sloClass, String tenant) {
		this.request = request;
		this.sloClass = sloClass;
		this.tenant = tenant;
	}

	long tokens() {
		return this.request.promptTokens() + this.request.outputTokens();
	}

}
