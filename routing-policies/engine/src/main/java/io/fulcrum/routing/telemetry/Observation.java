package io.fulcrum.routing.telemetry;

/**
 * One finished request to a deployment, as the router learns from it.
 *
 * @param promptTokens prompt tokens of the request
 * @param outputTokens tokens generated (0 for embeddings)
 * @param ttftNanos time to the first token, or -1 when the response was not streamed and only the total is known
 * @param e2eNanos time to the last byte
 * @param outcome how it ended; latencies of failed requests are not learned
 * @param atNanos when it ended, on the router's monotonic clock
 * @param firstTokenReported the time to first token was already reported when the token arrived
 * ({@link DeploymentStats#observeFirstToken}); it only splits the total here and is not learned twice
 */
public record Observation(long promptTokens, long outputTokens, long ttftNanos, long e2eNanos, Outcome outcome,
		long atNanos, boolean firstTokenReported) {

	public Observation(long promptTokens, long outputTokens, long ttftNanos, long e2eNanos, Outcome outcome,
			long atNanos) {
		this(promptTokens, outputTokens, ttftNanos, e2eNanos, outcome, atNanos, false);
	}

	/** A streamed success with both latencies known. */
	public static Observation streamed(long promptTokens, long outputTokens, long ttftNanos, long e2eNanos,
			long atNanos) {
		return new Observation(promptTokens, outputTokens, ttftNanos, e2eNanos, Outcome.SUCCESS, atNanos);
	}

	/** A streamed success whose time to first token was reported when the token arrived. */
	public static Observation streamedAfterFirstToken(long promptTokens, long outputTokens, long ttftNanos,
			long e2eNanos, long atNanos) {
		return new Observation(promptTokens, outputTokens, ttftNanos, e2eNanos, Outcome.SUCCESS, atNanos, true);
	}

	/** A failure; latencies are not learned from it. */
	public static Observation failed(long promptTokens, Outcome outcome, long atNanos) {
		return new Observation(promptTokens, 0, -1, -1, outcome, atNanos);
	}

}
