package io.fulcrum.routing.baseline;

import java.util.List;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;

/** See {@link RoutingPolicy#ordered()}. */
public final class OrderedPolicy implements RoutingPolicy {

	public static final OrderedPolicy INSTANCE = new OrderedPolicy();

	private OrderedPolicy() {
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		return Baselines.sorted(request, candidates, (candidate, r) -> candidate.priority(), "ordered by priority");
	}

}
