/** Dynamic batching: many requests' inputs gathered into one forward pass on one engine thread. */
@NullMarked
package io.fulcrum.backend.batching;

import org.jspecify.annotations.NullMarked;
