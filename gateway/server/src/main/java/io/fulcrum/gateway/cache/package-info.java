/**
 * The exact response cache: a request's key (tenant, model alias, endpoint and the canonical request), whether it
 * may be cached ({@link io.fulcrum.gateway.cache.CachePolicy}), the stores ({@link io.fulcrum.gateway.cache.ResponseCache}:
 * in process or Redis), the replay of a cached completion as a stream, and the metering of a hit. The semantic cache
 * ({@link io.fulcrum.gateway.cache.SemanticResponseCache}) is another {@code ResponseCache}, in front of an exact
 * store: chat requests matched by the embedding of their last user message within a partition of the same tenant,
 * alias and request context ({@link io.fulcrum.gateway.cache.SemanticQuery}, {@link io.fulcrum.gateway.cache.SemanticIndex}).
 */
@NullMarked
package io.fulcrum.gateway.cache;

import org.jspecify.annotations.NullMarked;
