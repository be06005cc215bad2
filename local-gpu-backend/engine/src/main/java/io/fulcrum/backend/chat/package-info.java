/**
 * Chat messages rendered into a prompt: with the model's own chat template where the GGUF file has a recognised one,
 * and a plain documented format where not.
 */
@NullMarked
package io.fulcrum.backend.chat;

import org.jspecify.annotations.NullMarked;
