package io.fulcrum.gateway.ratelimit;

import java.time.Duration;

/**
 * The answer of a limiter for one request.
 *
 * @param allowed whether the request may proceed
 * @param limit requests allowed per window
 * @param remaining requests left in the current window after this one
 * @param reset time until the window resets
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, Duration reset) {

}
