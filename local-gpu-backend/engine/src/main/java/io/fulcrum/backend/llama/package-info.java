/**
 * Llama-family decoder models (Llama 1/2/3, Mistral, Qwen2, TinyStories): their configuration and weights read from
 * GGUF, and the {@link io.fulcrum.backend.llama.DecoderModel} seam that the generation engine drives, with a CPU
 * implementation in {@code llama.cpu} and a CUDA one in {@code llama.cuda}.
 */
@NullMarked
package io.fulcrum.backend.llama;

import org.jspecify.annotations.NullMarked;
