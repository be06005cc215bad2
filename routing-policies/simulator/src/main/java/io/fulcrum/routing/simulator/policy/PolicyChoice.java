package io.fulcrum.routing.simulator.policy;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.simulator.scenario.Scenario;

/**
 * A policy to simulate: an engine {@link RoutingPolicy} made fresh for each run (policies keep state, such as the
 * round-robin turn), or the offline oracle, which the simulation runs itself because only it knows the future.
 *
 * @param name the name on the command line and in reports
 * @param description one line for {@code --help} and reports
 * @param factory makes the policy for a scenario and seed, or {@code null} for the oracle
 */
public record PolicyChoice(String name, String description,
		@Nullable Function<Setup, RoutingPolicy> factory) {

	/** What a policy factory may use. */
	public record Setup(Scenario scenario, long seed) {
	}

	public boolean oracle() {
		return this.factory == null;
	}

}
