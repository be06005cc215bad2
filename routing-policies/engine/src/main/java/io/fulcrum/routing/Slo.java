package io.fulcrum.routing;

import java.util.Locale;

/**
 * A latency objective: a time-to-first-token and an end-to-end target, met with at least {@code target}
 * probability (e.g. 0.99 means "at p99"). A target of 0 nanoseconds means that dimension is not constrained.
 *
 * @param ttftNanos time to first token, or 0 for none
 * @param e2eNanos time to the last byte, or 0 for none
 * @param target the probability with which both must hold, in (0, 1)
 */
public record Slo(long ttftNanos, long e2eNanos, double target) {

	/** No latency objective: every deployment qualifies, so cost alone decides. */
	public static final Slo NONE = new Slo(0, 0, 0.5);

	public Slo {
		if (ttftNanos < 0 || e2eNanos < 0) {
			throw new IllegalArgumentException("latency targets must not be negative");
		}
		if (!(target > 0 && target < 1)) {
			throw new IllegalArgumentException("the SLO target must be a probability between 0 and 1 (exclusive), was "
					+ target);
		}
	}

	/**
	 * Parses the {@code x-fulcrum-slo} header: comma-separated {@code ttft=800ms}, {@code e2e=10s} and an optional
	 * {@code p=0.99} (or {@code p=99%}, {@code p=p99}). Missing fields come from {@code defaults}.
	 * @throws IllegalArgumentException naming the part that is wrong
	 */
	public static Slo parse(String header, Slo defaults) {
		long ttft = defaults.ttftNanos;
		long e2e = defaults.e2eNanos;
		double target = defaults.target;
		for (String part : header.split(",")) {
			String item = part.trim();
			if (item.isEmpty()) {
				continue;
			}
			int eq = item.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("'" + item + "' is not key=value (ttft, e2e or p)");
			}
			String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
			String value = item.substring(eq + 1).trim();
			switch (key) {
				case "ttft" -> ttft = Durations.parseNanos(value);
				case "e2e" -> e2e = Durations.parseNanos(value);
				case "p", "target", "percentile" -> target = parseTarget(value);
				default -> throw new IllegalArgumentException("unknown SLO field '" + key + "' (use ttft, e2e or p)");
			}
		}
		return new Slo(ttft, e2e, target);
	}

	/** Reads {@code 0.99}, {@code 99%}, {@code p99} or {@code p99.9} as a probability. */
	public static double parseTarget(String text) {
		String s = text.trim().toLowerCase(Locale.ROOT);
		try {
			double value;
			if (s.endsWith("%")) {
				value = Double.parseDouble(s.substring(0, s.length() - 1)) / 100;
			}
			else if (s.startsWith("p")) {
				value = Double.parseDouble(s.substring(1)) / 100;
			}
			else {
				value = Double.parseDouble(s);
			}
			if (value > 0 && value < 1) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// fall through to the message below
		}
		throw new IllegalArgumentException(
				"'" + text + "' is not an SLO target (use a probability such as 0.99, 99% or p99)");
	}

	/** Whether any latency is constrained. */
	public boolean constrained() {
		return this.ttftNanos > 0 || this.e2eNanos > 0;
	}

	@Override
	public String toString() {
		StringBuilder out = new StringBuilder();
		if (this.ttftNanos > 0) {
			out.append("ttft=").append(Durations.format(this.ttftNanos)).append(',');
		}
		if (this.e2eNanos > 0) {
			out.append("e2e=").append(Durations.format(this.e2eNanos)).append(',');
		}
		return out.append("p=").append(this.target).toString();
	}

}
