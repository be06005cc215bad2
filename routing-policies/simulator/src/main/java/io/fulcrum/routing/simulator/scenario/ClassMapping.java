package io.fulcrum.routing.simulator.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.simulator.trace.TraceRequest;

/**
 * How trace rows get their SLO class: the trace's {@code slo_class} column when it has a value (and
 * {@code useTraceColumn}), else a deterministic draw from {@code shares}, else {@code defaultClass}.
 *
 * @param useTraceColumn whether the trace's class column wins when present
 * @param defaultClass the class of rows with no column value and no shares
 * @param shares class name to share of requests, summing to 1, or empty
 */
public record ClassMapping(boolean useTraceColumn, @Nullable String defaultClass, Map<String, Double> shares) {

	public ClassMapping {
		shares = new LinkedHashMap<>(shares);
	}

	/** The class of {@code request}; {@code uniform} is the request's own draw in [0, 1). */
	public String classOf(TraceRequest request, double uniform) {
		if (this.useTraceColumn && request.sloClass() != null) {
			return request.sloClass();
		}
		if (!this.shares.isEmpty()) {
			double cumulative = 0;
			String last = null;
			for (Map.Entry<String, Double> share : this.shares.entrySet()) {
				cumulative += share.getValue();
				last = share.getKey();
				if (uniform < cumulative) {
					return last;
				}
			}
			return last;
		}
		return this.defaultClass;
	}

}
