package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.simulator.scenario.DeploymentSpec;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.TelemetrySettings;

/** A deployment in the simulation: the real behaviour behind what the router sees in its {@link Candidate}. */
abstract class SimDeployment {

	final int index;

	final DeploymentSpec spec;

	final DeploymentStats stats;

	final Candidate candidate;

	final CircuitBreaker breaker;

	final Conditions conditions;

	final EventQueue events;

	final Outcomes outcomes;

	final Luck luck;

	/** This deployment's share of the luck, by id: see {@link Luck}. */
	final long luckKey;

	SimDeployment(int index, DeploymentSpec spec, Scenario scenario, EventQueue events, Outcomes outcomes, Luck luck) {
		this.index = index;
		this.spec = spec;
		this.stats = new DeploymentStats(spec.id(), TelemetrySettings.DEFAULTS);
		this.candidate = new Candidate(spec.profile(), index, this.stats);
		this.breaker = new CircuitBreaker(scenario.breaker(), this.stats);
		this.conditions = new Conditions(
				scenario.windows().stream().filter(w -> w.deployment().equals(spec.id())).toList(), spec.errorRate());
		this.events = events;
		this.outcomes = outcomes;
		this.luck = luck;
		this.luckKey = Luck.key(spec.id());
	}

	/** Starts an attempt at {@code now}; it ends with a call to {@link Outcomes}. */
	abstract void submit(Flight flight, long now);

	/**
	 * Cancels a running attempt (a hedge race's loser): it leaves any queue or batch at once, and what it had
	 * scheduled is void. Tells the router the attempt ended, as {@link #finished()} does.
	 * @return what it had consumed, for its provider cost
	 */
	abstract Cancelled cancel(Flight attempt, long now);

	/**
	 * What a cancelled attempt consumed.
	 * @param served whether the deployment had started serving it (its prompt was processed)
	 * @param outputTokens output tokens it had produced
	 */
	record Cancelled(boolean served, double outputTokens) {

		static final Cancelled UNSERVED = new Cancelled(false, 0);

	}

	/** What would happen to {@code flight} if it were submitted now. */
	abstract Forecast forecast(Flight flight, long now);

	/** Tells the router about an attempt that ended (the in-flight count went up in {@link #submit}). */
	void finished() {
		this.stats.requestFinished();
	}

}
