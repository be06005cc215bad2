package io.fulcrum.routing;

import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.TelemetrySettings;

/** Candidates, requests and traffic for the router's tests. */
final class Fixtures {

	static final long SECOND = 1_000_000_000L;

	private Fixtures() {
	}

	/** A candidate priced per million tokens, with a prior of {@code ttftSeconds} and 100 tokens/s. */
	static Candidate candidate(String id, double inputPrice, double outputPrice, double ttftSeconds) {
		return candidate(id, 0, inputPrice, outputPrice, ttftSeconds);
	}

	static Candidate candidate(String id, int priority, double inputPrice, double outputPrice, double ttftSeconds) {
		DeploymentProfile profile = new DeploymentProfile(id, "provider-" + id, false,
				new TokenPrices(inputPrice, outputPrice, 0, 0), new LatencyPrior(ttftSeconds, 100), 0);
		return new Candidate(profile, priority, new DeploymentStats(id, TelemetrySettings.DEFAULTS));
	}

	static RoutingRequest request(Slo slo, long nowNanos) {
		return new RoutingRequest("tenant", "key", "chat", true, 500, 0, 100, slo, Priority.INTERACTIVE, Double.NaN,
				nowNanos);
	}

	static RoutingRequest request() {
		return request(null, 0);
	}

	/** Feeds {@code count} streamed successes with the given latencies, one every 10 ms ending at {@code endNanos}. */
	static void traffic(Candidate candidate, int count, double ttftSeconds, double perTokenSeconds, long endNanos) {
		for (int i = count - 1; i >= 0; i--) {
			long ttft = (long) (ttftSeconds * SECOND);
			long e2e = ttft + (long) (99 * perTokenSeconds * SECOND);
			candidate.stats().observe(Observation.streamed(500, 100, ttft, e2e, endNanos - i * 10_000_000L));
		}
	}

}
