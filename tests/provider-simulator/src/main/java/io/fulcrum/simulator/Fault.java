package io.fulcrum.simulator;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * The misbehaviour a profile picks for one request, if any.
 */
enum Fault {

	NONE, OUTAGE, RATE_LIMITED, SERVER_ERROR, HANG;

	/**
	 * Picks the fault of one request. An outage wins over the random faults, which win over a hang.
	 * @param profile the request's profile
	 * @param outageUntil when the model's outage ends, or {@code null}
	 * @return the fault, {@link #NONE} for a normal answer
	 */
	static Fault pick(ModelProfile profile, @Nullable Instant outageUntil) {
		if (outageUntil != null && Instant.now().isBefore(outageUntil)) {
			return OUTAGE;
		}
		if (profile.rateLimitRate() > 0 && ThreadLocalRandom.current().nextDouble() < profile.rateLimitRate()) {
			return RATE_LIMITED;
		}
		if (profile.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < profile.errorRate()) {
			return SERVER_ERROR;
		}
		return profile.hang() ? HANG : NONE;
	}

}
