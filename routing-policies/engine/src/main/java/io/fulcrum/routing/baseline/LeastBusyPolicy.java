package io.fulcrum.routing.baseline;

import java.util.List;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.telemetry.BackendLoad;

/** See {@link RoutingPolicy#leastBusy()}. */
public final class LeastBusyPolicy implements RoutingPolicy {

	public static final LeastBusyPolicy INSTANCE = new LeastBusyPolicy();

	private LeastBusyPolicy() {
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		return Baselines.sorted(request, candidates, LeastBusyPolicy::busy, "least busy");
	}

	private static double busy(Candidate candidate, RoutingRequest request) {
		BackendLoad load = candidate.stats().backendLoad(request.nowNanos());
		int queued = load == null ? 0 : load.waiting();
		return Math.max(candidate.stats().inFlight(), load == null ? 0 : load.running()) + queued;
	}

}
