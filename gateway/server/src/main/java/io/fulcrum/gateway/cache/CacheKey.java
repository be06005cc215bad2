package io.fulcrum.gateway.cache;

/**
 * One cache entry's identity: the hex SHA-256 of tenant, model alias, endpoint and canonical request
 * ({@link CacheKeys}). It names no tenant in clear and cannot be produced for another tenant's request.
 */
public record CacheKey(String value) {

}
