/** The encoder in pure Java: the path without a GPU and the GPU path's reference. */
@NullMarked
package io.fulcrum.backend.encoder.cpu;

import org.jspecify.annotations.NullMarked;
