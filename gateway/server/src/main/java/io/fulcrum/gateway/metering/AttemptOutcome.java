package io.fulcrum.gateway.metering;

import io.fulcrum.billing.usage.UsageStatus;

/** How one provider attempt ended, seen from the gateway. */
public enum AttemptOutcome {

	SUCCESS(UsageStatus.SUCCESS, "success"),

	FAILED(UsageStatus.FAILED_ATTEMPT, "failed"),

	CLIENT_CANCELLED(UsageStatus.CLIENT_CANCELLED, "cancelled"),

	STREAM_BROKEN(UsageStatus.STREAM_ERROR, "stream_error"),

	/** Cancelled because the request's other attempt of a hedge race answered first; not billed. */
	HEDGE_LOST(UsageStatus.HEDGE_LOST, "hedge_lost");

	private final UsageStatus usageStatus;

	private final String tag;

	AttemptOutcome(UsageStatus usageStatus, String tag) {
		this.usageStatus = usageStatus;
		this.tag = tag;
	}

	public UsageStatus usageStatus() {
		return this.usageStatus;
	}

	/** The value of the {@code outcome} metric tag. */
	public String tag() {
		return this.tag;
	}

}
