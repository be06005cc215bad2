package io.fulcrum.billing.usage;

/** How a provider attempt ended, as the ledger records it. */
public enum UsageStatus {

	/** The attempt served the request. */
	SUCCESS,

	/** The attempt failed before anything reached the client; recorded at zero charge. */
	FAILED_ATTEMPT,

	/** The client hung up mid-stream; charged for what was produced. */
	CLIENT_CANCELLED,

	/** The provider broke the stream after output had reached the client; charged for what was produced. */
	STREAM_ERROR,

	/**
	 * The attempt lost a hedge race (another attempt of the request produced its first token first) and was
	 * cancelled; recorded with its usage and provider cost, which the gateway bears, at zero charge.
	 */
	HEDGE_LOST,

	/**
	 * Served from Fulcrum's response cache: no provider was called (no provider cost), the tenant is charged its
	 * cache price (zero by default), and the record's {@code savedPrice} says what the request would have cost.
	 */
	CACHE_HIT;

	/** Whether an attempt that ended this way is charged to the customer for its tokens. */
	public boolean billable() {
		return this != FAILED_ATTEMPT && this != HEDGE_LOST;
	}

	/** Whether the provider charges us for an attempt that ended this way (a lost hedge's tokens were consumed). */
	public boolean costsProvider() {
		return this != FAILED_ATTEMPT && this != CACHE_HIT;
	}

}
