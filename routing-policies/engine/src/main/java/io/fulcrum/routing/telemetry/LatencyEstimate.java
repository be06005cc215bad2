package io.fulcrum.routing.telemetry;

/**
 * What the router expects of a deployment for one request size, now.
 *
 * @param ttft seconds to the first token
 * @param perToken seconds per generated token after the first (one request's average)
 * @param weight decayed number of observations behind the estimate (0: the prior alone)
 * @param successRate decayed share of requests that succeeded
 */
public record LatencyEstimate(LogNormal ttft, LogNormal perToken, double weight, double successRate) {

}
