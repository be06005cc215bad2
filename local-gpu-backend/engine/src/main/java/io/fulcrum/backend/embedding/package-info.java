/** Text to sentence embeddings: models on the class path, tokenisation, the window, and the encoder behind. */
@NullMarked
package io.fulcrum.backend.embedding;

import org.jspecify.annotations.NullMarked;
