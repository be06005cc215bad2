package io.fulcrum.routing.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;

/** See {@link RoutingPolicy#roundRobin()}. */
public final class RoundRobinPolicy implements RoutingPolicy {

	private final AtomicLong turn = new AtomicLong();

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		int n = candidates.size();
		if (n == 0) {
			return RoutingDecision.reject("model '" + request.modelAlias() + "' has no deployments");
		}
		int start = (int) Math.floorMod(this.turn.getAndIncrement(), (long) n);
		List<String> usable = new ArrayList<>(n);
		List<String> rest = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			Candidate candidate = candidates.get((start + i) % n);
			(Baselines.usable(candidate, request) ? usable : rest).add(candidate.id());
		}
		usable.addAll(rest);
		return RoutingDecision.route(usable, "round robin");
	}

}
