package io.fulcrum.billing.usage;

import org.jspecify.annotations.Nullable;

/**
 * Tokens one request consumed. A {@code null} count means "not reported", which is not the same as zero.
 *
 * @param inputTokens prompt tokens, including cached ones (OpenAI's convention)
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 * @param outputTokens generated tokens
 * @param estimated {@code true} when Fulcrum counted the tokens itself instead of taking the provider's figures
 */
public record TokenUsage(@Nullable Long inputTokens, @Nullable Long cachedInputTokens, @Nullable Long outputTokens,
		boolean estimated) {

	/** Usage of an attempt that produced nothing billable. */
	public static final TokenUsage NONE = new TokenUsage(0L, 0L, 0L, false);

	public static TokenUsage exact(long input, long cachedInput, long output) {
		return new TokenUsage(input, cachedInput, output, false);
	}

	public static TokenUsage estimated(long input, long output) {
		return new TokenUsage(input, 0L, output, true);
	}

	public long inputOrZero() {
		return this.inputTokens != null ? this.inputTokens : 0L;
	}

	public long cachedInputOrZero() {
		return this.cachedInputTokens != null ? this.cachedInputTokens : 0L;
	}

	public long outputOrZero() {
		return this.outputTokens != null ? this.outputTokens : 0L;
	}

	public long total() {
		return inputOrZero() + outputOrZero();
	}

}
