package io.fulcrum.routing.baseline;

import java.util.List;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.telemetry.LatencyEstimate;

/** See {@link RoutingPolicy#fastest()}. */
public final class FastestPolicy implements RoutingPolicy {

	public static final FastestPolicy INSTANCE = new FastestPolicy();

	private FastestPolicy() {
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		return Baselines.sorted(request, candidates, FastestPolicy::medianLatency, "always fastest");
	}

	/** Predicted median time to first token for streams, end-to-end time otherwise. */
	private static double medianLatency(Candidate candidate, RoutingRequest request) {
		LatencyEstimate estimate = candidate.stats()
			.estimate(request.promptTokens(), request.nowNanos(), candidate.profile().prior());
		double ttft = estimate.ttft().median();
		if (request.stream()) {
			return ttft;
		}
		return ttft + Math.max(0, request.expectedOutputTokens() - 1) * estimate.perToken().median();
	}

}
