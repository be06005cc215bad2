package io.fulcrum.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** See {@link RoutingPolicy#ordered()}. */
final class OrderedPolicy implements RoutingPolicy {

	static final OrderedPolicy INSTANCE = new OrderedPolicy();

	// List.sort is stable, so configured order survives within equal keys.
	private static final Comparator<Candidate> ORDER = Comparator
		.comparing((Candidate c) -> !c.acceptingRequests())
		.thenComparingInt(Candidate::priority);

	private OrderedPolicy() {
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		if (candidates.isEmpty()) {
			return RoutingDecision.reject("model '" + request.modelAlias() + "' has no deployments");
		}
		List<Candidate> sorted = new ArrayList<>(candidates);
		sorted.sort(ORDER);
		List<String> ids = new ArrayList<>(sorted.size());
		for (Candidate candidate : sorted) {
			ids.add(candidate.deploymentId());
		}
		boolean degraded = !sorted.get(0).acceptingRequests();
		return RoutingDecision.route(ids, degraded ? "ordered: every circuit open" : "ordered by priority");
	}

}
