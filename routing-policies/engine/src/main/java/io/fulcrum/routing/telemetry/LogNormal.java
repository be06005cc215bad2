package io.fulcrum.routing.telemetry;

/**
 * A lognormal distribution: latencies are positive and right-skewed, and a sum of them (time to first token plus
 * decode time) is well approximated by another lognormal (Fenton-Wilkinson). Values are in seconds.
 *
 * @param mu mean of the logarithm
 * @param sigma standard deviation of the logarithm
 */
public record LogNormal(double mu, double sigma) {

	/** The distribution with median {@code median} and log-spread {@code sigma}. */
	public static LogNormal ofMedian(double median, double sigma) {
		return new LogNormal(Math.log(median), sigma);
	}

	/** P(X <= x). */
	public double cdf(double x) {
		if (x <= 0) {
			return 0;
		}
		if (this.sigma <= 0) {
			return Math.log(x) >= this.mu ? 1 : 0;
		}
		return Normal.cdf((Math.log(x) - this.mu) / this.sigma);
	}

	/** The value below which a share {@code p} falls, given {@code z = Normal.inverseCdf(p)}. */
	public double quantileAtZ(double z) {
		return Math.exp(this.mu + this.sigma * z);
	}

	public double median() {
		return Math.exp(this.mu);
	}

	public double mean() {
		return Math.exp(this.mu + this.sigma * this.sigma / 2);
	}

	public double variance() {
		double s2 = this.sigma * this.sigma;
		return (Math.exp(s2) - 1) * Math.exp(2 * this.mu + s2);
	}

	/** This distribution multiplied by a positive factor. */
	public LogNormal times(double factor) {
		return factor == 1 ? this : new LogNormal(this.mu + Math.log(factor), this.sigma);
	}

	/** This distribution delayed by a constant (a queue wait), matching mean and variance. */
	public LogNormal plusConstant(double seconds) {
		if (seconds <= 0) {
			return this;
		}
		double mean = mean() + seconds;
		double s2 = Math.log1p(variance() / (mean * mean));
		return new LogNormal(Math.log(mean) - s2 / 2, Math.sqrt(s2));
	}

	/**
	 * The sum {@code this + factor * other} of independent variables, approximated by matching mean and variance
	 * (Fenton-Wilkinson).
	 */
	public LogNormal plusScaled(LogNormal other, double factor) {
		if (factor <= 0) {
			return this;
		}
		double mean = mean() + factor * other.mean();
		double variance = variance() + factor * factor * other.variance();
		double s2 = Math.log1p(variance / (mean * mean));
		return new LogNormal(Math.log(mean) - s2 / 2, Math.sqrt(s2));
	}

}
