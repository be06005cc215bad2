/**
 * Carrying out a routing decision: one attempt after another with per-attempt timeouts, a circuit breaker per
 * deployment, retries for transient failures and fallback to the next deployment, up to the moment the first
 * byte reaches the client. After that a failure ends the stream; it is never retried or billed twice.
 */
@NullMarked
package io.fulcrum.gateway.dispatch;

import org.jspecify.annotations.NullMarked;
