package io.fulcrum.routing;

/**
 * How one candidate looked to the router for one request: the explanation behind a decision.
 *
 * @param deploymentId the candidate
 * @param ttftSeconds predicted time to first token at the SLO's percentile
 * @param e2eSeconds predicted end-to-end time at the SLO's percentile
 * @param probability predicted probability of meeting the SLO (including the chance the request fails)
 * @param expectedCost predicted cost in US dollars
 * @param standing whether it could take the request and whether it met the target
 */
public record CandidateScore(String deploymentId, double ttftSeconds, double e2eSeconds, double probability,
		double expectedCost, Standing standing) {

	/** Where a candidate stood, best first. */
	public enum Standing {

		/** Predicted to meet the SLO with at least the target probability. */
		QUALIFIES,

		/** Could serve, but is predicted to miss the target. */
		BELOW_TARGET,

		/** Too little is known about it and it already has its share of probe requests in flight. */
		PROBE_LIMIT,

		/** Its rate limit has no room for this request until the window resets. */
		RATE_LIMITED,

		/** Its circuit breaker is open. */
		CIRCUIT_OPEN;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
