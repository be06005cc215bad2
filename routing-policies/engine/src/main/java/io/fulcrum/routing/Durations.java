package io.fulcrum.routing;

import java.util.Locale;

/** Parses the short durations used in policies and headers: {@code 800ms}, {@code 2s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {

	private Durations() {
	}

	/**
	 * @return the duration in nanoseconds
	 * @throws IllegalArgumentException with a message fit for the user when the text is not a positive duration
	 */
	public static long parseNanos(String text) {
		String s = text.trim().toLowerCase(Locale.ROOT);
		double unit;
		String number;
		if (s.endsWith("ms")) {
			unit = 1e6;
			number = s.substring(0, s.length() - 2);
		}
		else if (s.endsWith("us")) {
			unit = 1e3;
			number = s.substring(0, s.length() - 2);
		}
		else if (s.endsWith("s")) {
			unit = 1e9;
			number = s.substring(0, s.length() - 1);
		}
		else if (s.endsWith("m")) {
			unit = 60e9;
			number = s.substring(0, s.length() - 1);
		}
		else {
			throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 800ms, 2s, 1.5s, 2m)");
		}
		double value;
		try {
			value = Double.parseDouble(number.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 800ms, 2s, 1.5s, 2m)");
		}
		if (!(value > 0) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("'" + text + "' must be a positive duration");
		}
		return Math.round(value * unit);
	}

	/** Formats nanoseconds the way {@link #parseNanos} reads them, e.g. {@code 800ms} or {@code 2.5s}. */
	public static String format(long nanos) {
		if (nanos < 1_000_000_000L) {
			return trim(nanos / 1e6) + "ms";
		}
		return trim(nanos / 1e9) + "s";
	}

	private static String trim(double value) {
		return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3g", value);
	}

}
