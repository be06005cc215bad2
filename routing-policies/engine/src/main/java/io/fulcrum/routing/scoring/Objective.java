package io.fulcrum.routing.scoring;

import java.util.Locale;

/** What the router optimises once the SLO is taken into account. */
public enum Objective {

	/** The cheapest candidate predicted to meet the SLO (the default). */
	COST_UNDER_SLO,

	/** The candidate with the lowest predicted latency at the SLO's percentile, whatever it costs. */
	LATENCY_FIRST,

	/** Among candidates meeting the SLO, the best weighted mix of normalised cost and latency. */
	WEIGHTED;

	/** Parses {@code cost-under-slo}, {@code latency-first} or {@code weighted}. */
	public static Objective parse(String text) {
		for (Objective objective : values()) {
			if (objective.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
				return objective;
			}
		}
		throw new IllegalArgumentException(
				"'" + text + "' is not an objective (cost-under-slo, latency-first, weighted)");
	}

	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
