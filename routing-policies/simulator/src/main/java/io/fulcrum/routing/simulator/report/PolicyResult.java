package io.fulcrum.routing.simulator.report;

import java.util.Map;

/**
 * The outcome of one policy on one scenario and trace.
 *
 * @param policy the policy's name
 * @param requests requests in the trace
 * @param served requests answered
 * @param failed requests whose every attempt failed (SLO misses)
 * @param rejected requests the policy refused, e.g. shed batch work (SLO misses)
 * @param fallbacks attempts beyond each request's first
 * @param noneQualified decisions in which the router predicted that no candidate would meet the SLO (engine
 * policies that explain their scores; 0 for the others)
 * @param costUsd total cost of the served requests (failed attempts cost nothing), plus the waste of cancelled
 * hedge races (see {@link Hedges})
 * @param tokens prompt plus output tokens of the served requests
 * @param attainment share of all requests served within their SLO
 * @param classRequests requests per SLO class
 * @param classAttainment attainment per SLO class
 * @param ttft time to first token of served requests, from arrival (queueing and failed attempts included)
 * @param e2e end-to-end time of served requests, from arrival
 * @param servedBy requests served per deployment
 * @param metBy requests served within their SLO per deployment
 * @param hedges hedged attempts sent and won, and what the cancelled losers cost
 * @param timeline the run minute by minute
 * @param wallNanos real time the run took
 */
public record PolicyResult(String policy, long requests, long served, long failed, long rejected, long fallbacks,
		long noneQualified, double costUsd, long tokens, double attainment, Map<String, Long> classRequests,
		Map<String, Double> classAttainment, Percentiles ttft, Percentiles e2e, Map<String, Long> servedBy,
		Map<String, Long> metBy, Hedges hedges, Timeline timeline, long wallNanos) {

	/**
	 * Hedging in a run.
	 *
	 * @param sent hedge attempts started (the first attempt had not answered by the hedge's delay)
	 * @param won hedge attempts that produced the first byte first (the first attempt was cancelled)
	 * @param wasteUsd provider cost of the cancelled losers: their prompt tokens once their deployment had started
	 * serving them, and the output tokens they had produced; included in {@code costUsd}
	 */
	public record Hedges(long sent, long won, double wasteUsd) {
	}

	/** US dollars per million served tokens (prompt plus output). */
	public double costPerMillionTokens() {
		return this.tokens == 0 ? Double.NaN : this.costUsd / this.tokens * 1e6;
	}

	/** Simulated requests per minute of real time. */
	public double requestsPerWallMinute() {
		return this.wallNanos == 0 ? Double.NaN : this.requests / (this.wallNanos / 60e9);
	}

}
