package io.fulcrum.gateway.cache;

import reactor.core.publisher.Mono;

/**
 * Where cached answers live. Implementations never fail the request: a store that cannot answer reports a miss
 * (empty), and a store that cannot write drops the entry. The exact stores key by {@link CacheRequest#key()}; a
 * semantic cache would implement this interface too, matching {@link CacheRequest#body()} by meaning within the
 * request's tenant, alias and endpoint.
 */
public interface ResponseCache {

	/** The entry for {@code request}, or empty on a miss (absent, expired or unreadable). */
	Mono<CachedResponse> lookup(CacheRequest request);

	/** Stores {@code response} for {@code request} for the store's TTL; completes when written (or dropped). */
	Mono<Void> store(CacheRequest request, CachedResponse response);

}
