package io.fulcrum.routing.telemetry;

/** The standard normal distribution's CDF and its inverse, accurate to about 1e-7, with no allocation. */
public final class Normal {

	private Normal() {
	}

	/** P(Z <= z) for a standard normal Z (Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8). */
	public static double cdf(double z) {
		if (z < -38) {
			return 0;
		}
		if (z > 38) {
			return 1;
		}
		double t = 1 / (1 + 0.2316419 * Math.abs(z));
		double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
		double tail = 0.3989422804014327 * Math.exp(-0.5 * z * z) * poly;
		return z >= 0 ? 1 - tail : tail;
	}

	/** The z with {@code cdf(z) = p}, for p in (0, 1) (P. J. Acklam's rational approximation, error below 2e-5). */
	public static double inverseCdf(double p) {
		if (!(p > 0 && p < 1)) {
			throw new IllegalArgumentException("p must be in (0, 1), was " + p);
		}
		double plow = 0.02425;
		if (p < plow) {
			double q = Math.sqrt(-2 * Math.log(p));
			return (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6)
					/ ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
		}
		if (p > 1 - plow) {
			double q = Math.sqrt(-2 * Math.log(1 - p));
			return -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6)
					/ ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
		}
		double q = p - 0.5;
		double r = q * q;
		return (((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q
				/ (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
	}

	private static final double A1 = -3.969683028665376e+01, A2 = 2.209460984245205e+02, A3 = -2.759285104469687e+02,
			A4 = 1.383577518672690e+02, A5 = -3.066479806614716e+01, A6 = 2.506628277459239e+00;

	private static final double B1 = -5.447609879822406e+01, B2 = 1.615858368580409e+02, B3 = -1.556989798598866e+02,
			B4 = 6.680131188771972e+01, B5 = -1.328068155288572e+01;

	private static final double C1 = -7.784894002430293e-03, C2 = -3.223964580411365e-01, C3 = -2.400758277161838e+00,
			C4 = -2.549671348571357e+00, C5 = 4.374664141464968e+00, C6 = 2.938163982698783e+00;

	private static final double D1 = 7.784695709041462e-03, D2 = 3.224671290700398e-01, D3 = 2.445134137142996e+00,
			D4 = 3.754408661907416e+00;

}
