package io.fulcrum.backend.generation;

import java.util.List;

/**
 * Finds OpenAI {@code stop} sequences in generated text as it streams, so that the text a client sees never
 * contains one: text that could still be the start of a stop sequence is held back until the next piece shows
 * whether it is. Not thread-safe: one per generation.
 */
public final class StopMatcher {

	private final List<String> stops;

	private final StringBuilder held = new StringBuilder();

	private boolean matched;

	public StopMatcher(List<String> stops) {
		for (String stop : stops) {
			if (stop.isEmpty()) {
				throw new IllegalArgumentException("a stop sequence must not be empty");
			}
		}
		this.stops = List.copyOf(stops);
	}

	/**
	 * Adds generated text; returns what may be shown now. Once a stop sequence appears, returns the text before it
	 * and {@link #matched()} becomes true; later calls return nothing.
	 */
	public String accept(String text) {
		if (this.matched) {
			return "";
		}
		if (this.stops.isEmpty()) {
			return text;
		}
		this.held.append(text);
		int first = -1;
		for (String stop : this.stops) {
			int at = this.held.indexOf(stop);
			if (at >= 0 && (first < 0 || at < first)) {
				first = at;
			}
		}
		if (first >= 0) {
			this.matched = true;
			String before = this.held.substring(0, first);
			this.held.setLength(0);
			return before;
		}
		int keep = longestStopPrefixSuffix();
		String ready = this.held.substring(0, this.held.length() - keep);
		this.held.delete(0, this.held.length() - keep);
		return ready;
	}

	/** Whether a stop sequence was found. */
	public boolean matched() {
		return this.matched;
	}

	/** At the end of generation: the text held back (it turned out not to be a stop sequence). */
	public String flush() {
		String rest = this.matched ? "" : this.held.toString();
		this.held.setLength(0);
		return rest;
	}

	private boolean endsWith(String stop, int length) {
		int from = this.held.length() - length;
		for (int i = 0; i < length; i++) {
			if (this.held.charAt(from + i) != stop.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** Length of the longest end of the held text that is the start of some stop sequence. */
	private int longestStopPrefixSuffix() {
		int best = 0;
		for (String stop : this.stops) {
			for (int length = Math.min(stop.length() - 1, this.held.length()); length > best; length--) {
				if (endsWith(stop, length)) {
					best = length;
					break;
				}
			}
		}
		return best;
	}

}
