/**
 * Rate limits that hold across replicas: requests and tokens per minute and concurrent requests, per app key,
 * tenant, model alias and deployment. Token buckets (see {@link io.fulcrum.gateway.ratelimit.TokenBucket}) live in
 * Redis, updated by atomic Lua scripts, or in process for the embedded default, with the same semantics
 * ({@link io.fulcrum.gateway.ratelimit.QuotaStore}). A request reserves its estimated tokens on admission and
 * settles to its actual usage when it ends.
 */
@NullMarked
package io.fulcrum.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
