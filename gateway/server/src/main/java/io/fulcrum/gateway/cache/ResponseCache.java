package io.fulcrum.gateway.cache;

import reactor.core.publisher.Mono;

/**
 * Where cached answers live. Implementations never fail the request: a store that cannot answer reports a miss
 * (empty), and a store that cannot write drops the entry. The exact stores key by {@link CacheRequest#key()};
 * {@link SemanticResponseCache} implements it too, in front of an exact store, matching chat requests by meaning
 * within the same tenant, alias and request context.
 */
public interface ResponseCache {

	/** The entry for {@code request}, or empty on a miss (absent, expired or unreadable). */
	Mono<CachedResponse> lookup(CacheRequest request);

	/** Stores {@code response} for {@code request} for the store's TTL; completes when written (or dropped). */
	Mono<Void> store(CacheRequest request, CachedResponse response);

	/** Removes every entry of {@code tenantId}; completes with how many were removed (as far as the store knows). */
	Mono<Long> purgeTenant(String tenantId);

}
