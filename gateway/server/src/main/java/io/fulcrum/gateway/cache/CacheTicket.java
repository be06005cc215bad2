package io.fulcrum.gateway.cache;

import org.jspecify.annotations.Nullable;

/**
 * One request's dealings with the cache: what it may do ({@link CacheMode}) and, unless bypassed, what the cache is
 * asked (with the entry's key).
 *
 * @param endpoint the API asked
 * @param mode whether to look up and store
 * @param request what the cache is asked; {@code null} when bypassed
 */
public record CacheTicket(CacheEndpoint endpoint, CacheMode mode, @Nullable CacheRequest request) {

	/** The {@code x-fulcrum-cache} value of a request that did not hit: {@code miss} or {@code bypass}. */
	public String notHit() {
		return this.mode.looksUp() ? "miss" : "bypass";
	}

}
