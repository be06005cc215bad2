package io.fulcrum.routing.baseline;

import java.util.List;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;

/** See {@link RoutingPolicy#cheapest()}. */
public final class CheapestPolicy implements RoutingPolicy {

	public static final CheapestPolicy INSTANCE = new CheapestPolicy();

	private CheapestPolicy() {
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		return Baselines.sorted(request, candidates, (candidate, r) -> candidate.profile()
			.prices()
			.cost(r.promptTokens(), 0, r.expectedOutputTokens()), "always cheapest");
	}

}
