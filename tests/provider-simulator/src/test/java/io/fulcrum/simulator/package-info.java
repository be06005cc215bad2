/**
 * Tests of the provider simulator, most against a running instance on a free port over real HTTP, so the wire
 * shapes, timings and connection handling are the ones the gateway will see.
 */
@NullMarked
package io.fulcrum.simulator;

import org.jspecify.annotations.NullMarked;
