package io.fulcrum.routing.simulator.scenario;

/**
 * A provider's rate limits per one-minute window; beyond them it answers 429.
 *
 * @param requestsPerMinute requests per window, or 0 for no limit
 * @param tokensPerMinute prompt plus output tokens per window, or 0 for no limit
 */
public record RateLimits(long requestsPerMinute, long tokensPerMinute) {

	public static final RateLimits NONE = new RateLimits(0, 0);

	public boolean any() {
		return this.requestsPerMinute > 0 || this.tokensPerMinute > 0;
	}

}
