package io.fulcrum.gateway.cache;

import reactor.core.publisher.Mono;

/**
 * Where cached answers live. Implementations never fail the request: a store that cannot answer reports a miss
 * (empty), and a store that cannot write drops the entry. The exact cache keys by {@link CacheKey}; a semantic cache
 * would implement this interface too, looking up by the request's meaning behind the same calls.
 */
public interface ResponseCache {

	/** The entry for {@code key}, or empty on a miss (absent, expired or unreadable). */
	Mono<CachedResponse> lookup(CacheKey key);

	/** Stores {@code response} under {@code key} for the store's TTL; completes when written (or dropped). */
	Mono<Void> store(CacheKey key, CachedResponse response);

}
