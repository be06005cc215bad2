package io.fulcrum.routing.scoring;

/**
 * When the SLO-aware policy plans a hedge: a second attempt on another deployment, started if the chosen one has
 * not produced its first byte after a delay, the first to answer winning and the other cancelled. The first byte
 * is the first token of a stream held to a time-to-first-token target, else the whole answer (an unstreamed
 * response arrives at once), held to the end-to-end target.
 *
 * <p>A hedge is planned when the chosen deployment's predicted probability of its first byte within the target is
 * below {@code below}. The delay is the latest moment at which the hedge still meets the target with probability
 * {@code inTime} (the target minus the hedge's first-byte time at that quantile), so a hedge is sent only for the
 * requests that are really late; it is not planned when that moment is earlier than {@code minDelayNanos} (it
 * would be a duplicate request, not a hedge) or when the chosen deployment is predicted to still be silent then
 * for more than {@code maxShare} of requests (hedging would double most requests' cost; a better first choice is
 * the ranking's job).
 *
 * @param enabled whether hedges are planned at all (off by default)
 * @param below plan a hedge when the first choice's probability of its first byte in time is below this
 * @param inTime the probability with which a hedge sent at its delay still produces its first byte in time: higher
 * sends hedges earlier and so more often
 * @param minDelayNanos the earliest a hedge may start after the first attempt
 * @param maxShare the largest predicted share of requests for which the hedge would be sent
 * @param priced when the policy spends an error budget, plan a hedge only if what it adds to the probability of
 * meeting the SLO, at the budget's price of probability, exceeds its expected extra cost (when sent and winning, the
 * hedge's cost instead of the first choice's; at least a tenth of the hedge's cost, for a loser's prompt); off, a
 * hedge is planned whenever the first choice is below {@code below}
 */
public record HedgeSettings(boolean enabled, double below, double inTime, long minDelayNanos, double maxShare,
		boolean priced) {

	/**
	 * No hedging; switched on, a hedge for first choices below 99.9%, in time with 90%, after at least 100 ms, sent
	 * for at most a quarter of requests, when worth its price.
	 */
	public static final HedgeSettings OFF = new HedgeSettings(false, 0.999, 0.9, 100_000_000L, 0.25, true);

	public HedgeSettings {
		if (!(below > 0 && below <= 1)) {
			throw new IllegalArgumentException("hedging.below must be a probability above 0 and at most 1");
		}
		if (!(inTime >= 0.5 && inTime < 1)) {
			throw new IllegalArgumentException("hedging.in-time must be at least 0.5 and below 1");
		}
		if (minDelayNanos < 0) {
			throw new IllegalArgumentException("hedging.min-delay must not be negative");
		}
		if (!(maxShare > 0 && maxShare <= 1)) {
			throw new IllegalArgumentException("hedging.max-share must be above 0 and at most 1");
		}
	}

	/** These settings switched on or off. */
	public HedgeSettings withEnabled(boolean on) {
		return new HedgeSettings(on, this.below, this.inTime, this.minDelayNanos, this.maxShare, this.priced);
	}

}
