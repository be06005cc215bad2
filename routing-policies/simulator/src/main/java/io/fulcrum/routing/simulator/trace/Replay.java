package io.fulcrum.routing.simulator.trace;

import java.util.ArrayList;
import java.util.List;

/** Shapes a trace for a run: the first requests only, or the trace played several times back to back. */
public final class Replay {

	private Replay() {
	}

	/** The first {@code limit} requests (all when {@code limit <= 0}). */
	public static List<TraceRequest> limit(List<TraceRequest> trace, int limit) {
		return limit <= 0 || limit >= trace.size() ? trace : List.copyOf(trace.subList(0, limit));
	}

	/**
	 * The trace {@code times} times in a row, each copy starting one mean inter-arrival gap after the previous
	 * one ends; copies get new indices and so their own luck.
	 */
	public static List<TraceRequest> repeat(List<TraceRequest> trace, int times) {
		if (times <= 1 || trace.isEmpty()) {
			return trace;
		}
		long first = trace.get(0).arrivalNanos();
		long span = trace.get(trace.size() - 1).arrivalNanos() - first;
		long gap = trace.size() > 1 ? Math.max(1, span / (trace.size() - 1)) : 1_000_000_000L;
		List<TraceRequest> repeated = new ArrayList<>(trace.size() * times);
		for (int copy = 0; copy < times; copy++) {
			long offset = copy * (span + gap);
			for (TraceRequest request : trace) {
				repeated.add(request.shifted(repeated.size(), offset));
			}
		}
		return repeated;
	}

}
