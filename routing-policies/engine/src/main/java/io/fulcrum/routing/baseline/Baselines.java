package io.fulcrum.routing.baseline;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.Ranking;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingRequest;

/** What the simple policies share: usable candidates first, then by a key, falling back to configured order. */
final class Baselines {

	private Baselines() {
	}

	/** A number per candidate; lower goes first. */
	@FunctionalInterface
	interface Key {

		double of(Candidate candidate, RoutingRequest request);

	}

	static RoutingDecision sorted(RoutingRequest request, List<Candidate> candidates, Key key, String reason) {
		if (candidates.isEmpty()) {
			return RoutingDecision.reject("model '" + request.modelAlias() + "' has no deployments");
		}
		int n = candidates.size();
		double[] keys = new double[n];
		for (int i = 0; i < n; i++) {
			keys[i] = key.of(candidates.get(i), request);
		}
		int[] order = Ranking.order(n, (a, b) -> before(candidates, request, a, b, keys));
		List<String> ids = new ArrayList<>(n);
		for (int index : order) {
			ids.add(candidates.get(index).id());
		}
		return RoutingDecision.route(ids, reason);
	}

	/** Whether a candidate can take a request now: circuit closed and room in its rate limit. */
	static boolean usable(Candidate candidate, RoutingRequest request) {
		long tokens = request.promptTokens() + Math.round(request.expectedOutputTokens());
		return candidate.acceptingRequests() && candidate.stats().headroom().allows(tokens, request.nowNanos());
	}

	private static boolean before(List<Candidate> candidates, RoutingRequest request, int a, int b, double[] keys) {
		boolean usableA = usable(candidates.get(a), request);
		boolean usableB = usable(candidates.get(b), request);
		if (usableA != usableB) {
			return usableA;
		}
		return keys[a] < keys[b];
	}

}
