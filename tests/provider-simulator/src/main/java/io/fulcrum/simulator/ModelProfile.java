package io.fulcrum.simulator;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How a simulated model answers. Immutable; change one field with the {@code with...} methods.
 *
 * @param ttftMedianMs the median time to first token, in milliseconds; 0 for no delay
 * @param ttftP99Ms the 99th percentile time to first token; with the median it fixes a lognormal distribution
 * (equal to the median for a constant delay, raised to the median when below it)
 * @param tokensPerSecond the decode speed; 0 sends all tokens at once
 * @param defaultOutputTokens the output length when the request sets no lower {@code max_tokens}
 * @param errorRate the probability of an HTTP 500
 * @param rateLimitRate the probability of an HTTP 429 with rate-limit headers
 * @param failAfterChunks for streams: cut the connection after this many content chunks, without the final
 * events; -1 never
 * @param hang accept requests and never answer them
 * @param omitUsage never report token usage
 * @param outageUntil every request gets HTTP 503 until this instant; {@code null} for none
 */
public record ModelProfile(long ttftMedianMs, long ttftP99Ms, double tokensPerSecond, int defaultOutputTokens,
		double errorRate, double rateLimitRate, int failAfterChunks, boolean hang, boolean omitUsage,
		@Nullable Instant outageUntil) {

	/** No latency, 16 output tokens, no faults. */
	public static final ModelProfile DEFAULT = new ModelProfile(0, 0, 0, 16, 0, 0, -1, false, false, null);

	public ModelProfile {
		if (ttftMedianMs < 0 || ttftP99Ms < 0) {
			throw new IllegalArgumentException("time to first token must not be negative");
		}
		ttftP99Ms = Math.max(ttftP99Ms, ttftMedianMs);
		if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
			throw new IllegalArgumentException("tokensPerSecond must be a finite number >= 0");
		}
		if (defaultOutputTokens < 1) {
			throw new IllegalArgumentException("defaultOutputTokens must be at least 1");
		}
		requireProbability("errorRate", errorRate);
		requireProbability("rateLimitRate", rateLimitRate);
		if (failAfterChunks < -1) {
			throw new IllegalArgumentException("failAfterChunks must be -1 (never) or at least 0");
		}
	}

	/** A lognormal time to first token with this median and 99th percentile, in milliseconds. */
	public ModelProfile withTtft(long medianMs, long p99Ms) {
		return new ModelProfile(medianMs, p99Ms, this.tokensPerSecond, this.defaultOutputTokens, this.errorRate,
				this.rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	/** A constant time to first token, in milliseconds. */
	public ModelProfile withTtftMs(long ms) {
		return withTtft(ms, ms);
	}

	public ModelProfile withTokensPerSecond(double tokensPerSecond) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, this.rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withDefaultOutputTokens(int defaultOutputTokens) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, defaultOutputTokens,
				this.errorRate, this.rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withErrorRate(double errorRate) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				errorRate, this.rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withRateLimitRate(double rateLimitRate) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withFailAfterChunks(int failAfterChunks) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, this.rateLimitRate, failAfterChunks, this.hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withHang(boolean hang) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, this.rateLimitRate, this.failAfterChunks, hang, this.omitUsage, this.outageUntil);
	}

	public ModelProfile withOmitUsage(boolean omitUsage) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, this.rateLimitRate, this.failAfterChunks, this.hang, omitUsage, this.outageUntil);
	}

	public ModelProfile withOutageUntil(@Nullable Instant outageUntil) {
		return new ModelProfile(this.ttftMedianMs, this.ttftP99Ms, this.tokensPerSecond, this.defaultOutputTokens,
				this.errorRate, this.rateLimitRate, this.failAfterChunks, this.hang, this.omitUsage, outageUntil);
	}

	/**
	 * The output length of a request: {@link #defaultOutputTokens}, capped at the request's limit.
	 * @param maxTokens the request's {@code max_tokens} (or {@code max_completion_tokens}), or {@code null}
	 * @return the number of tokens to generate
	 */
	public int outputTokens(@Nullable Integer maxTokens) {
		return (maxTokens != null) ? Math.min(maxTokens, this.defaultOutputTokens) : this.defaultOutputTokens;
	}

	/** Whether the request's limit, not the model, ends the output (OpenAI's {@code finish_reason: length}). */
	public boolean cappedBy(@Nullable Integer maxTokens) {
		return maxTokens != null && maxTokens < this.defaultOutputTokens;
	}

	private static void requireProbability(String name, double value) {
		if (!(value >= 0 && value <= 1)) {
			throw new IllegalArgumentException(name + " must be between 0 and 1");
		}
	}

}
