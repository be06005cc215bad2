package io.fulcrum.simulator.wire;

import org.jspecify.annotations.Nullable;

/**
 * What the simulator needs from a chat request (OpenAI's or Anthropic's), once validated.
 *
 * @param model the requested model, echoed in the answer and used to pick the profile
 * @param promptTokens the estimated input tokens
 * @param maxTokens the output cap the client asked for, or {@code null} for none
 * @param stream whether the client asked for a stream
 * @param includeUsage whether a stream should report usage (OpenAI's {@code stream_options.include_usage};
 * always true for Anthropic, whose streams always do)
 */
public record ChatRequest(String model, int promptTokens, @Nullable Integer maxTokens, boolean stream,
		boolean includeUsage) {
}
