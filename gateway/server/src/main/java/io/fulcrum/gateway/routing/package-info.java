/**
 * The gateway's side of routing: turns the deployment catalog into the router's candidates and feeds the router
 * what the gateway observes.
 */
@NullMarked
package io.fulcrum.gateway.routing;

import org.jspecify.annotations.NullMarked;
