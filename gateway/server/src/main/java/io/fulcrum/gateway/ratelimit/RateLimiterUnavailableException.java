package io.fulcrum.gateway.ratelimit;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;

/** Redis cannot be reached and the limiter is configured to fail closed. */
public final class RateLimiterUnavailableException extends GatewayException {

	public RateLimiterUnavailableException() {
		super(ErrorKind.UNAVAILABLE, "Rate limits cannot be checked right now (their store is unreachable); retry "
				+ "shortly", null, "rate_limiter_unavailable", java.time.Duration.ofSeconds(1));
	}

}
