package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.simulator.scenario.SloClass;
import io.fulcrum.routing.simulator.trace.TraceRequest;

/**
 * One request on its way through the simulation: its route and where it is on it. A flight is also the identity of
 * an attempt at a deployment: the request's own flight carries its attempts one after another, and a hedge
 * attempt, which runs alongside, has a flight of its own whose {@link #request()} flight is the request's.
 */
final class Flight {

	final TraceRequest request;

	final SloClass sloClass;

	final String tenant;

	/** The request's own flight, for a hedge attempt; {@code null} for the request's flight itself. */
	final Flight owner;

	int[] route;

	/** The probability the router predicted for the route's first choice to meet the SLO (1 when it did not say). */
	double predicted = 1;

	int next;

	int fallbacks;

	/** When the current attempt was submitted to its deployment. */
	long attemptStart;

	/** Whether the current attempt's deployment has started serving it (left any queue). */
	boolean inService;

	/** When the current attempt's first token comes and when it ends, once it is in service (hosted). */
	long firstTokenAt;

	long endAt;

	/** The current attempt was cancelled: whatever its deployment had scheduled for it is void. */
	boolean cancelled;

	/** The hedge the router planned: deployment index and delay, or -1. */
	int hedgeDeployment = -1;

	long hedgeDelayNanos;

	/** The first attempt is running and its hedge may still be sent. */
	boolean hedgeArmed;

	/** Whether the hedge was sent (its deployment is then not tried again as a fallback). */
	boolean hedgeSent;

	/** The started hedge attempt, while it races the first. */
	Flight hedge;

	/** Deployment of the request's own attempt while it races a hedge. */
	SimDeployment racing;

	/** Deployment of the hedge attempt while it races. */
	SimDeployment hedgeRacing;

	Flight(TraceRequest request, SloClass sloClass, String tenant) {
		this(request, sloClass, tenant, null);
	}

	private Flight(TraceRequest request, SloClass sloClass, String tenant, Flight owner) {
		this.request = request;
		this.sloClass = sloClass;
		this.tenant = tenant;
		this.owner = owner;
	}

	/** A new attempt that runs alongside this request's own. */
	Flight hedgeAttempt() {
		return new Flight(this.request, this.sloClass, this.tenant, this);
	}

	/** The request's flight: this one, or the one this hedge attempt belongs to. */
	Flight request() {
		return this.owner != null ? this.owner : this;
	}

	/** Whether a hedge attempt races the request's own attempt now. */
	boolean racing() {
		return this.hedge != null;
	}

	long tokens() {
		return this.request.promptTokens() + this.request.outputTokens();
	}

}
