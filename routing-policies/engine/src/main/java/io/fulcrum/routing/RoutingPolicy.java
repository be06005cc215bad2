package io.fulcrum.routing;

import java.util.List;

import io.fulcrum.routing.baseline.CheapestPolicy;
import io.fulcrum.routing.baseline.FastestPolicy;
import io.fulcrum.routing.baseline.LeastBusyPolicy;
import io.fulcrum.routing.baseline.OrderedPolicy;
import io.fulcrum.routing.baseline.RoundRobinPolicy;
import io.fulcrum.routing.scoring.SloAwarePolicy;

/**
 * Decides the order in which a request's candidate deployments are tried. Implementations must be thread-safe and
 * must not block: the gateway calls them on its event loop for every request.
 *
 * <p>The static factories are the catalogue of the simple baselines; the SLO- and cost-aware router
 * ({@link SloAwarePolicy}) is built by the {@link RoutingTable} from a declared policy.
 */
@FunctionalInterface
public interface RoutingPolicy {

	/**
	 * @param request the request being routed, with its expected output length and SLO resolved
	 * @param candidates the alias's deployments in configured order
	 * @return the deployments to try, in order, or a rejection
	 */
	RoutingDecision decide(RoutingRequest request, List<Candidate> candidates);

	/**
	 * Tries candidates by ascending priority, keeping configured order within a priority, with deployments whose
	 * circuit is open moved behind every healthy one.
	 */
	static RoutingPolicy ordered() {
		return OrderedPolicy.INSTANCE;
	}

	/** Always the cheapest usable candidate for the request's predicted token counts. */
	static RoutingPolicy cheapest() {
		return CheapestPolicy.INSTANCE;
	}

	/** Always the candidate with the lowest predicted median latency, whatever it costs. */
	static RoutingPolicy fastest() {
		return FastestPolicy.INSTANCE;
	}

	/** Usable candidates in turn. */
	static RoutingPolicy roundRobin() {
		return new RoundRobinPolicy();
	}

	/** The usable candidate with the fewest requests in flight (or queued, for a backend that reports its queue). */
	static RoutingPolicy leastBusy() {
		return LeastBusyPolicy.INSTANCE;
	}

}
