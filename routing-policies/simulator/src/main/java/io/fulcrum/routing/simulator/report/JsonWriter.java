package io.fulcrum.routing.simulator.report;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Renders a report as JSON (written by hand: a handful of fields does not need a JSON library). */
public final class JsonWriter {

	private JsonWriter() {
	}

	public static String render(Report report) {
		StringBuilder out = new StringBuilder(4096);
		out.append("{\n");
		out.append("  \"scenario\": ").append(string(report.scenario())).append(",\n");
		out.append("  \"trace\": ").append(string(report.trace())).append(",\n");
		out.append("  \"seed\": ").append(report.seed()).append(",\n");
		out.append("  \"repeat\": ").append(report.repeat()).append(",\n");
		out.append("  \"note\": \"attainment counts rejected (shed) and failed requests as SLO misses; latencies "
				+ "are in seconds, from arrival, of served requests\",\n");
		out.append("  \"policies\": [");
		Iterator<PolicyResult> results = report.results().iterator();
		while (results.hasNext()) {
			PolicyResult r = results.next();
			out.append("\n    {\n");
			field(out, "policy", string(r.policy()));
			field(out, "requests", Long.toString(r.requests()));
			field(out, "served", Long.toString(r.served()));
			field(out, "failed", Long.toString(r.failed()));
			field(out, "rejected", Long.toString(r.rejected()));
			field(out, "fallbacks", Long.toString(r.fallbacks()));
			field(out, "decisions_none_qualified", Long.toString(r.noneQualified()));
			field(out, "cost_usd", number(r.costUsd()));
			field(out, "tokens", Long.toString(r.tokens()));
			field(out, "cost_per_million_tokens_usd", number(r.costPerMillionTokens()));
			field(out, "slo_attainment", number(r.attainment()));
			field(out, "class_requests", object(r.classRequests()));
			field(out, "class_attainment", object(r.classAttainment()));
			field(out, "ttft_seconds", percentiles(r.ttft()));
			field(out, "e2e_seconds", percentiles(r.e2e()));
			field(out, "served_by", object(r.servedBy()));
			field(out, "met_slo_by", object(r.metBy()));
			field(out, "hedges", "{\"sent\": " + r.hedges().sent() + ", \"won\": " + r.hedges().won()
					+ ", \"waste_usd\": " + number(r.hedges().wasteUsd()) + "}");
			field(out, "timeline_per_minute", timeline(r.timeline()));
			field(out, "wall_seconds", number(r.wallNanos() / 1e9));
			out.append("      \"requests_per_wall_minute\": ")
				.append(number(r.requestsPerWallMinute()))
				.append("\n    }");
			if (results.hasNext()) {
				out.append(',');
			}
		}
		out.append("\n  ]\n}\n");
		return out.toString();
	}

	private static void field(StringBuilder out, String name, String value) {
		out.append("      ").append(string(name)).append(": ").append(value).append(",\n");
	}

	private static String timeline(Timeline timeline) {
		StringBuilder out = new StringBuilder("{\"requests\": ").append(array(timeline.requests()))
			.append(", \"attainment\": [");
		for (int m = 0; m < timeline.requests().length; m++) {
			out.append(m > 0 ? ", " : "").append(number(round(timeline.attainment(m))));
		}
		out.append("], \"served_by\": {");
		Iterator<Map.Entry<String, long[]>> entries = timeline.servedBy().entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, long[]> entry = entries.next();
			out.append(string(entry.getKey())).append(": ").append(array(entry.getValue()));
			out.append(entries.hasNext() ? ", " : "");
		}
		return out.append("}}").toString();
	}

	private static String array(long[] values) {
		StringBuilder out = new StringBuilder("[");
		for (int i = 0; i < values.length; i++) {
			out.append(i > 0 ? ", " : "").append(values[i]);
		}
		return out.append(']').toString();
	}

	private static double round(double value) {
		return Math.round(value * 10_000) / 10_000.0;
	}

	private static String percentiles(Percentiles p) {
		return "{\"p50\": " + number(p.p50()) + ", \"p95\": " + number(p.p95()) + ", \"p99\": " + number(p.p99()) + "}";
	}

	private static String object(Map<String, ? extends Number> values) {
		StringBuilder out = new StringBuilder("{");
		Iterator<? extends Map.Entry<String, ? extends Number>> entries = values.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, ? extends Number> entry = entries.next();
			Number value = entry.getValue();
			out.append(string(entry.getKey()))
				.append(": ")
				.append(value instanceof Double d ? number(d) : value.toString());
			if (entries.hasNext()) {
				out.append(", ");
			}
		}
		return out.append('}').toString();
	}

	/** JSON has no NaN: unknown values are null. */
	static String number(double value) {
		if (!Double.isFinite(value)) {
			return "null";
		}
		return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
				: String.format(Locale.ROOT, "%.6g", value);
	}

	static String string(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
