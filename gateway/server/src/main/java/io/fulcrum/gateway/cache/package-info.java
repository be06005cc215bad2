/**
 * The exact response cache: a request's key (tenant, model alias, endpoint and the canonical request), whether it
 * may be cached ({@link io.fulcrum.gateway.cache.CachePolicy}), the stores ({@link io.fulcrum.gateway.cache.ResponseCache}:
 * in process or Redis), the replay of a cached completion as a stream, and the metering of a hit. A semantic cache
 * plugs in as another {@code ResponseCache}.
 */
@NullMarked
package io.fulcrum.gateway.cache;

import org.jspecify.annotations.NullMarked;
