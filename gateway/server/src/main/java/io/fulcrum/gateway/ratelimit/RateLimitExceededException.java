package io.fulcrum.gateway.ratelimit;

import java.time.Duration;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import org.jspecify.annotations.Nullable;

/** A 429 that names the limit that was hit; carries the limits' state for the response headers. */
public final class RateLimitExceededException extends GatewayException {

	private final @Nullable RateLimitStatus status;

	public RateLimitExceededException(String message, Duration retryAfter, @Nullable RateLimitStatus status) {
		super(ErrorKind.RATE_LIMITED, message, null, "rate_limit_exceeded", retryAfter);
		this.status = status;
	}

	public @Nullable RateLimitStatus status() {
		return this.status;
	}

}
