package io.fulcrum.routing.telemetry;

/** How a request to a deployment ended, as far as the router cares. */
public enum Outcome {

	/** Served; its latencies are learned. */
	SUCCESS,

	/** Failed (5xx, broken connection, broken stream). */
	ERROR,

	/** Took longer than the gateway allowed. */
	TIMEOUT,

	/** Refused by the provider with 429. */
	RATE_LIMITED;

	/** Whether this outcome counts against the deployment's success rate. */
	public boolean failed() {
		return this != SUCCESS;
	}

}
