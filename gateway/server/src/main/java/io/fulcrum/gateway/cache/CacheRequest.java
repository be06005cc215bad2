package io.fulcrum.gateway.cache;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link ResponseCache} is asked about: the request's exact key and what it was computed from. The exact
 * stores use only the key; a semantic cache would match on the body's meaning within the same tenant, alias and
 * endpoint.
 *
 * @param key the exact key ({@link CacheKeys})
 * @param tenantId the tenant: entries are never shared across tenants
 * @param alias the model alias asked for
 * @param endpoint the API asked
 * @param body the canonical (OpenAI-shaped) request body
 */
public record CacheRequest(CacheKey key, String tenantId, String alias, CacheEndpoint endpoint, ObjectNode body) {

	/** The request with its exact key computed. */
	public static CacheRequest of(String tenantId, String alias, CacheEndpoint endpoint, ObjectNode body) {
		return new CacheRequest(CacheKeys.of(tenantId, alias, endpoint, body), tenantId, alias, endpoint, body);
	}

}
