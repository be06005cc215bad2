package io.fulcrum.routing.simulator.model;

import io.fulcrum.routing.simulator.scenario.Scenario.CircuitBreakerSpec;
import io.fulcrum.routing.telemetry.DeploymentStats;

/**
 * A consecutive-failures breaker, as the gateway keeps per deployment: it opens after a run of failures, stays
 * open for a while, then lets traffic through again, reopening on the first failure. It tells the router its
 * state through {@link DeploymentStats#circuitOpen(boolean)}.
 */
final class CircuitBreaker {

	private final CircuitBreakerSpec spec;

	private final DeploymentStats stats;

	private int consecutiveFailures;

	private long openUntil = Long.MIN_VALUE;

	private boolean open;

	CircuitBreaker(CircuitBreakerSpec spec, DeploymentStats stats) {
		this.spec = spec;
		this.stats = stats;
	}

	/** Whether an attempt may start at {@code now}; closes (half-open) a breaker whose time is up. */
	boolean allows(long now) {
		if (this.open && now >= this.openUntil) {
			this.open = false;
			// Half-open: one more failure reopens it.
			this.consecutiveFailures = Math.max(0, this.spec.failures() - 1);
			this.stats.circuitOpen(false);
		}
		return !this.open;
	}

	void succeeded() {
		this.consecutiveFailures = 0;
	}

	void failed(long now) {
		if (this.spec.failures() <= 0) {
			return;
		}
		this.consecutiveFailures++;
		if (!this.open && this.consecutiveFailures >= this.spec.failures()) {
			this.open = true;
			this.openUntil = now + this.spec.openNanos();
			this.stats.circuitOpen(true);
		}
	}

}
