package io.fulcrum.billing.budget;

import java.util.Locale;

/** What happens when a budget is reached. */
public enum Enforcement {

	/** Requests that could take spend past the limit are refused (402 {@code budget_exceeded}). */
	HARD,

	/** Requests go on; crossing the alert threshold is logged and counted, and the router prefers cheaper routes. */
	SOFT;

	/** {@code hard} or {@code soft}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @throws IllegalArgumentException for anything but {@code hard} or {@code soft} */
	public static Enforcement of(String label) {
		return switch (label) {
			case "hard" -> HARD;
			case "soft" -> SOFT;
			default -> throw new IllegalArgumentException("enforcement must be hard or soft");
		};
	}

}
