package io.fulcrum.routing.telemetry;

/**
 * What a deployment's rate limits still allow until they reset, from a provider's {@code x-ratelimit-*} headers
 * or the gateway's own limits. A negative count means unknown.
 *
 * @param remainingRequests requests left in the current window
 * @param remainingTokens tokens left in the current window
 * @param resetAtNanos when the window resets, on the router's clock
 */
public record RateLimitHeadroom(long remainingRequests, long remainingTokens, long resetAtNanos) {

	/** Nothing known: never blocks. */
	public static final RateLimitHeadroom UNKNOWN = new RateLimitHeadroom(-1, -1, Long.MIN_VALUE);

	/** Whether a request needing {@code tokens} fits at {@code nowNanos}. */
	public boolean allows(long tokens, long nowNanos) {
		if (nowNanos - this.resetAtNanos >= 0) {
			return true;
		}
		return this.remainingRequests != 0 && (this.remainingTokens < 0 || this.remainingTokens >= tokens);
	}

}
