/**
 * The router: given a request and the candidate deployments of its model alias, decide which deployments to try
 * and in what order. Plain Java with no framework, so policies can be tested and benchmarked alone; the gateway
 * supplies candidates and carries out the decision.
 *
 * <p>Policies are one-method strategies ({@link io.fulcrum.routing.RoutingPolicy}); the interface doubles as the
 * catalogue of built-in policies. Decisions are values with a few named outcomes
 * ({@link io.fulcrum.routing.RoutingDecision}).
 */
@NullMarked
package io.fulcrum.routing;

import org.jspecify.annotations.NullMarked;
