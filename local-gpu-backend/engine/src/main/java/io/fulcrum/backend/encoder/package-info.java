/** Encoders that turn token sequences into sentence embeddings, one per device kind. */
@NullMarked
package io.fulcrum.backend.encoder;

import org.jspecify.annotations.NullMarked;
