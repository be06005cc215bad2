package io.fulcrum.routing;

import java.util.List;

/**
 * The outcome of routing one request: either an ordered list of deployments to try (the first is the choice, the
 * rest are its fallbacks) or a refusal.
 */
public sealed interface RoutingDecision {

	/** Try {@code deploymentIds} in order; {@code reason} says why, for logs and traces. */
	static RoutingDecision route(List<String> deploymentIds, String reason) {
		if (deploymentIds.isEmpty()) {
			throw new IllegalArgumentException("a route needs at least one deployment");
		}
		return new Route(List.copyOf(deploymentIds), reason);
	}

	/** Serve nothing; {@code reason} is shown to the client. */
	static RoutingDecision reject(String reason) {
		return new Reject(reason);
	}

	/** A decision to try deployments in order. */
	record Route(List<String> deploymentIds, String reason) implements RoutingDecision {
	}

	/** A decision to refuse the request. */
	record Reject(String reason) implements RoutingDecision {
	}

}
