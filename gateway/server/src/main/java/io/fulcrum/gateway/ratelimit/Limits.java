package io.fulcrum.gateway.ratelimit;

/**
 * The limits of one scope (an app key, a tenant, a model alias or a deployment); 0 means unlimited.
 *
 * @param requestsPerMinute requests admitted per minute
 * @param tokensPerMinute input plus output tokens per minute
 * @param concurrentRequests requests in flight at once
 */
public record Limits(long requestsPerMinute, long tokensPerMinute, long concurrentRequests) {

	/** No limit at all. */
	public static final Limits NONE = new Limits(0, 0, 0);

	public Limits {
		if (requestsPerMinute < 0 || tokensPerMinute < 0 || concurrentRequests < 0) {
			throw new IllegalArgumentException("limits must not be negative");
		}
	}

	public boolean any() {
		return this.requestsPerMinute > 0 || this.tokensPerMinute > 0 || this.concurrentRequests > 0;
	}

}
