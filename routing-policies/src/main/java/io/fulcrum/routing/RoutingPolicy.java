package io.fulcrum.routing;

import java.util.List;

/**
 * Decides the order in which a request's candidate deployments are tried. Implementations must be thread-safe and
 * must not block: the gateway calls them on its event loop for every request.
 *
 * <p>The static factories are the catalogue of built-in policies.
 */
@FunctionalInterface
public interface RoutingPolicy {

	/**
	 * @param request the request being routed
	 * @param candidates the alias's deployments in configured order
	 * @return the deployments to try, in order, or a rejection
	 */
	RoutingDecision decide(RoutingRequest request, List<Candidate> candidates);

	/**
	 * Tries candidates by ascending priority, keeping configured order within a priority, with deployments whose
	 * circuit is open moved behind every healthy one. The policy Fulcrum uses until the cost- and SLO-aware router
	 * is configured.
	 */
	static RoutingPolicy ordered() {
		return OrderedPolicy.INSTANCE;
	}

}
