package io.fulcrum.routing;

import java.util.Objects;

import io.fulcrum.routing.telemetry.DeploymentStats;

/**
 * One deployment that could serve a request: its configured profile and the live statistics the router keeps for
 * it. Candidates are built once per configuration and reused for every request; only {@code stats} changes.
 *
 * @param profile the deployment's configured facts
 * @param priority lower goes first where a policy orders by configuration (the {@code ordered} policy, ties)
 * @param stats what live traffic has taught the router about it
 */
public record Candidate(DeploymentProfile profile, int priority, DeploymentStats stats) {

	public Candidate {
		Objects.requireNonNull(profile, "profile");
		Objects.requireNonNull(stats, "stats");
	}

	public String id() {
		return this.profile.id();
	}

	/** {@code false} while the deployment's circuit breaker is open. */
	public boolean acceptingRequests() {
		return !this.stats.circuitOpen();
	}

}
