package io.fulcrum.routing.simulator.scenario;

import java.util.List;
import java.util.Map;

import io.fulcrum.routing.scoring.ScoringSettings;

/**
 * Everything a simulation run needs besides the trace and the policies: the deployments behind one model alias,
 * what goes wrong when, the SLO classes, and the Fulcrum policy's settings.
 *
 * @param name a label for reports
 * @param alias the model alias requests name
 * @param deployments the alias's deployments, in configured order (their priority for ties)
 * @param windows brownouts and outages
 * @param classes SLO classes by name
 * @param mapping how trace rows map to classes
 * @param scoring the Fulcrum policy's settings
 * @param attemptTimeoutNanos an attempt taking longer fails with a timeout and falls back, or 0 for none
 * @param breaker the circuit breaker every policy's deployments get
 * @param rateLimitedAfterNanos how long a 429 takes to come back
 */
public record Scenario(String name, String alias, List<DeploymentSpec> deployments, List<Window> windows,
		Map<String, SloClass> classes, ClassMapping mapping, ScoringSettings scoring, long attemptTimeoutNanos,
		CircuitBreakerSpec breaker, long rateLimitedAfterNanos) {

	/**
	 * A circuit breaker: after {@code failures} consecutive failed attempts the deployment is skipped for
	 * {@code openNanos}; then one attempt is let through and a failure reopens it.
	 *
	 * @param failures consecutive failures that open it, or 0 to disable
	 * @param openNanos how long it stays open
	 */
	public record CircuitBreakerSpec(int failures, long openNanos) {

		public static final CircuitBreakerSpec DEFAULT = new CircuitBreakerSpec(5, 30_000_000_000L);

	}

	public DeploymentSpec deployment(String id) {
		return this.deployments.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
	}

}
