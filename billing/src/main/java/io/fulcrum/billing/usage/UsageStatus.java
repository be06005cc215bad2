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
	STREAM_ERROR;

	/** Whether an attempt that ended this way is charged for its tokens. */
	public boolean billable() {
		return this != FAILED_ATTEMPT;
	}

}
