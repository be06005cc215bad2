package io.fulcrum.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Counts requests against a per-minute limit. Implementations are non-blocking and thread-safe. */
public interface RequestRateLimiter {

	/** Counts one request for {@code key} and says whether it is within {@code limitPerMinute}. */
	Mono<RateLimitDecision> acquire(String key, long limitPerMinute);

}
