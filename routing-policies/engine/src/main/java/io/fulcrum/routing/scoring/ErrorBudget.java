package io.fulcrum.routing.scoring;

/**
 * Spends a priority class's error budget. An SLO of "p99" lets 1% of requests miss, so insisting on a 99% chance for
 * every single request buys speed nobody asked for. Minimising cost subject to the class's attainment is a
 * Lagrangian problem: route each request to the candidate with the best {@code price x P(meet SLO) - cost}, where
 * {@code price} is what one unit of probability is worth in US dollars. This controller finds that price.
 *
 * <p>Two loops: a fast one on the predicted miss rate of the routes chosen (known at decision time, so it reacts
 * without lag) raises the price when predicted misses exceed {@link #BUDGET_USE} of the budget and lowers it when they
 * stay below; a slow one compares measured misses with predicted ones (time-decayed) and corrects the budget the
 * fast loop aims at, so that predictions that are too cautious or too bold are compensated.
 *
 * <p>Thread-safe: both loops update under the instance lock; decisions read a volatile price.
 */
public final class ErrorBudget {

	/** Aim at this share of the error budget, keeping a margin against estimation noise and bursts. */
	static final double BUDGET_USE = 0.8;

	/** Relative change of the price per decision, scaled by how far predicted misses are from the aim. */
	private static final double GAIN = 0.02;

	/** Decisions the predicted miss rate averages over. */
	private static final double PREDICTION_WINDOW = 200;

	private static final double MIN_PRICE = 1e-7;

	private static final double MAX_PRICE = 1e3;

	/** Outcomes needed before measured misses correct the predictions. */
	private static final double MIN_OUTCOMES = 500;

	private final double tauNanos;

	private double predictedMissRate = Double.NaN;

	private double outcomes;

	private double measuredMisses;

	private double predictedMisses;

	private long updatedNanos;

	private boolean started;

	private volatile double price = Double.NaN;

	private double maxPrice = MAX_PRICE;

	/** @param halfLifeNanos how long measured attainment remembers */
	public ErrorBudget(long halfLifeNanos) {
		this.tauNanos = halfLifeNanos / Math.log(2);
	}

	/**
	 * What a unit of probability of meeting the SLO is worth now, in US dollars. The first call sets it to
	 * {@code initial}, the caller's guess (e.g. the dearest candidate's cost per percentage point): a high price,
	 * which behaves like "meet the target at any cost" until there is evidence of budget to spend.
	 */
	public double price(double initial) {
		double current = this.price;
		if (Double.isNaN(current)) {
			synchronized (this) {
				// "At any cost" is the most a point of probability is ever worth: no higher than ten times that.
				this.maxPrice = Math.min(MAX_PRICE, initial * 10);
				this.price = initial;
			}
			return initial;
		}
		return current;
	}

	/** The fast loop: a route was chosen whose first candidate meets the SLO with {@code probability}. */
	public synchronized void decided(double probability, double target) {
		double miss = 1 - probability;
		this.predictedMissRate = Double.isNaN(this.predictedMissRate) ? miss
				: this.predictedMissRate + (miss - this.predictedMissRate) / PREDICTION_WINDOW;
		double aim = (1 - target) * BUDGET_USE * calibration();
		double used = Math.min(5, this.predictedMissRate / aim);
		double current = this.price;
		if (!Double.isNaN(current)) {
			this.price = Math.max(MIN_PRICE, Math.min(this.maxPrice, current * Math.exp(GAIN * (used - 1))));
		}
	}

	/**
	 * The slow loop: whether a request of the class met its SLO, and the probability its route was predicted to
	 * meet it with.
	 */
	public synchronized void record(boolean met, double predicted, long nowNanos) {
		if (this.started) {
			double decay = Math.exp(-Math.max(0, nowNanos - this.updatedNanos) / this.tauNanos);
			this.outcomes *= decay;
			this.measuredMisses *= decay;
			this.predictedMisses *= decay;
		}
		this.started = true;
		this.updatedNanos = nowNanos;
		this.outcomes += 1;
		this.measuredMisses += met ? 0 : 1;
		this.predictedMisses += 1 - predicted;
	}

	/**
	 * How many predicted misses one measured miss is worth: above 1 when predictions are too cautious (fewer misses
	 * happen than predicted), so the fast loop may accept more predicted misses; bounded to [0.75, 4].
	 */
	synchronized double calibration() {
		if (this.outcomes < MIN_OUTCOMES || this.predictedMisses <= 0) {
			return 1;
		}
		// One imaginary miss on each side keeps a quiet window from claiming perfect calibration.
		double ratio = (this.predictedMisses + 1) / (this.measuredMisses + 1);
		return Math.max(0.75, Math.min(4, ratio));
	}

	/** Measured attainment over the window, or NaN before any outcome. */
	public synchronized double attainment() {
		return this.outcomes == 0 ? Double.NaN : 1 - this.measuredMisses / this.outcomes;
	}

}
