/**
 * Per-key request limits: a fixed one-minute window counted in Redis (shared by every replica) or in process (the
 * embedded default). The full limiter with token limits, priorities and per-deployment limits replaces this in
 * the rate-limit issue; the seam ({@link io.fulcrum.gateway.ratelimit.RequestRateLimiter}) stays.
 */
@NullMarked
package io.fulcrum.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
