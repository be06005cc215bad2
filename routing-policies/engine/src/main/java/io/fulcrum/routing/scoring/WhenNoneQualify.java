package io.fulcrum.routing.scoring;

import java.util.Locale;

/** What to do when no candidate is predicted to meet the SLO. */
public enum WhenNoneQualify {

	/** Route to the candidate most likely to meet it (the fastest, in SLO terms). */
	FASTEST,

	/** Like {@link #FASTEST} for interactive requests; refuse batch requests so they can be retried later. */
	SHED_BATCH;

	/** Parses {@code fastest} or {@code shed-batch}. */
	public static WhenNoneQualify parse(String text) {
		for (WhenNoneQualify rule : values()) {
			if (rule.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
				return rule;
			}
		}
		throw new IllegalArgumentException("'" + text + "' is not a rule (fastest, shed-batch)");
	}

	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
