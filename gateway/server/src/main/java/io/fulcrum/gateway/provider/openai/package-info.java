/**
 * OpenAI and every OpenAI-compatible server (vLLM, Ollama, Fulcrum's local GPU backend): the canonical format is
 * OpenAI's, so requests pass through with the upstream model name set and usage reporting forced on.
 */
@NullMarked
package io.fulcrum.gateway.provider.openai;

import org.jspecify.annotations.NullMarked;
