/**
 * Text generation: the continuous-batching engine that drives a {@link io.fulcrum.backend.llama.DecoderModel}
 * (requests join and leave the running batch at every step, prompts are prefilled in chunks between decode steps),
 * the paged key/value cache's block bookkeeping with prefix reuse, sampling and stop handling.
 */
@NullMarked
package io.fulcrum.backend.generation;

import org.jspecify.annotations.NullMarked;
