package io.fulcrum.gateway.ratelimit;

/**
 * The token-bucket arithmetic, shared by the in-process store and (line for line) the Redis scripts. A bucket of
 * capacity {@code C} per minute refills continuously at {@code C / 60 s} up to {@code C}; a request takes its cost if
 * the level covers it. Why a token bucket rather than a sliding window: reservations are settled later, and a bucket
 * can simply go below zero when a stream used more tokens than it reserved, so the excess counts against the next
 * window; it also lets a quiet client burst up to one minute's worth at once, which is what clients expect of a
 * per-minute limit.
 */
public final class TokenBucket {

	static final double MILLIS_PER_MINUTE = 60_000;

	private TokenBucket() {
	}

	/** The level at {@code nowMillis} of a bucket last seen at {@code level} at {@code atMillis}. */
	public static double refill(double level, long atMillis, long nowMillis, long capacity) {
		if (nowMillis <= atMillis) {
			return level;
		}
		return Math.min(capacity, level + (nowMillis - atMillis) * capacity / MILLIS_PER_MINUTE);
	}

	/** Milliseconds until a bucket at {@code level} holds {@code needed}. */
	public static long millisUntil(double level, double needed, long capacity) {
		if (level >= needed) {
			return 0;
		}
		return (long) Math.ceil((needed - level) * MILLIS_PER_MINUTE / capacity);
	}

}
