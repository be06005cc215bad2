/**
 * Tests of the wire formats on their own, without a server.
 */
@NullMarked
package io.fulcrum.simulator.wire;

import org.jspecify.annotations.NullMarked;
