package io.fulcrum.backend.generation;

import org.jspecify.annotations.Nullable;

/**
 * How to pick each next token, with OpenAI's meanings.
 *
 * @param temperature 0 for greedy (argmax), otherwise logits are divided by it before the softmax
 * @param topP keep the smallest set of most likely tokens whose probabilities sum to at least this (1 keeps all)
 * @param topK keep only the this many most likely tokens (0 keeps all)
 * @param seed makes sampling reproducible: the same seed, parameters and prompt give the same tokens; null draws a
 * fresh seed
 * @param maxTokens most tokens to generate
 * @param ignoreEos keep generating past the end-of-generation token (for benchmarks)
 */
public record SamplingParams(double temperature, double topP, int topK, @Nullable Long seed, int maxTokens,
		boolean ignoreEos) {

	public SamplingParams {
		if (!(temperature >= 0) || temperature > 100) {
			throw new IllegalArgumentException("temperature must be between 0 and 100, not " + temperature);
		}
		if (!(topP > 0) || topP > 1) {
			throw new IllegalArgumentException("top_p must be in (0, 1], not " + topP);
		}
		if (topK < 0) {
			throw new IllegalArgumentException("top_k must not be negative, not " + topK);
		}
		if (maxTokens < 1) {
			throw new IllegalArgumentException("max_tokens must be at least 1, not " + maxTokens);
		}
	}

	/** Greedy decoding of up to {@code maxTokens} tokens. */
	public static SamplingParams greedy(int maxTokens) {
		return new SamplingParams(0, 1, 0, null, maxTokens, false);
	}

	/** Whether this always picks the most likely token. */
	public boolean greedy() {
		return this.temperature == 0 || this.topK == 1;
	}

}
