package io.fulcrum.routing;

import java.util.Locale;

/** How urgent a request is. Batch work can wait or be shed when no deployment can meet its SLO. */
public enum Priority {

	/** A person or a latency-sensitive system is waiting. */
	INTERACTIVE,

	/** Offline or background work: cheaper routes first, sheddable when the policy says so. */
	BATCH;

	/** Parses {@code interactive} or {@code batch}, in any case. */
	public static Priority parse(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "interactive" -> INTERACTIVE;
			case "batch" -> BATCH;
			default -> throw new IllegalArgumentException("'" + text + "' is not a priority class (interactive, batch)");
		};
	}

	/** The lower-case name used in configuration and headers. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
