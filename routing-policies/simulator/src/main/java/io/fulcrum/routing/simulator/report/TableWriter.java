package io.fulcrum.routing.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a report as a plain-text table for the terminal. */
public final class TableWriter {

	private TableWriter() {
	}

	public static String render(Report report) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario %s, trace %s, seed %d%s%n", report.scenario(), report.trace(),
				report.seed(), report.repeat() > 1 ? ", repeated " + report.repeat() + "x" : ""));
		List<String> header = new ArrayList<>(List.of("policy", "requests", "cost $", "$/Mtok", "attain"));
		List<String> classes = report.results().isEmpty() ? List.of()
				: List.copyOf(report.results().get(0).classAttainment().keySet());
		classes.forEach(name -> header.add(name));
		header.addAll(List.of("ttft p50/p95/p99 s", "e2e p50/p95/p99 s", "fallbk", "reject", "failed", "req/min"));
		List<List<String>> rows = new ArrayList<>();
		rows.add(header);
		for (PolicyResult r : report.results()) {
			List<String> row = new ArrayList<>();
			row.add(r.policy());
			row.add(Long.toString(r.requests()));
			row.add(String.format(Locale.ROOT, "%.4f", r.costUsd()));
			row.add(String.format(Locale.ROOT, "%.4f", r.costPerMillionTokens()));
			row.add(percent(r.attainment()));
			for (String name : classes) {
				row.add(percent(r.classAttainment().getOrDefault(name, Double.NaN)));
			}
			row.add(triple(r.ttft()));
			row.add(triple(r.e2e()));
			row.add(Long.toString(r.fallbacks()));
			row.add(Long.toString(r.rejected()));
			row.add(Long.toString(r.failed()));
			row.add(String.format(Locale.ROOT, "%,.0f", r.requestsPerWallMinute()));
			rows.add(row);
		}
		appendAligned(out, rows);
		out.append(System.lineSeparator()).append("requests served per deployment (within SLO %):")
			.append(System.lineSeparator());
		List<List<String>> shares = new ArrayList<>();
		List<String> deploymentHeader = new ArrayList<>(List.of("policy"));
		if (!report.results().isEmpty()) {
			deploymentHeader.addAll(report.results().get(0).servedBy().keySet());
		}
		shares.add(deploymentHeader);
		for (PolicyResult r : report.results()) {
			List<String> row = new ArrayList<>(List.of(r.policy()));
			for (Map.Entry<String, Long> entry : r.servedBy().entrySet()) {
				long served = entry.getValue();
				long met = r.metBy().getOrDefault(entry.getKey(), 0L);
				row.add(served == 0 ? "0"
						: served + " (" + String.format(Locale.ROOT, "%.1f", 100.0 * met / served) + ")");
			}
			shares.add(row);
		}
		appendAligned(out, shares);
		if (report.results().stream().anyMatch(r -> r.hedges().sent() > 0)) {
			out.append(System.lineSeparator()).append("hedges (sent, won, waste $ included in cost):")
				.append(System.lineSeparator());
			List<List<String>> hedges = new ArrayList<>();
			hedges.add(List.of("policy", "sent", "won", "waste $"));
			for (PolicyResult r : report.results()) {
				hedges.add(List.of(r.policy(), Long.toString(r.hedges().sent()), Long.toString(r.hedges().won()),
						String.format(Locale.ROOT, "%.4f", r.hedges().wasteUsd())));
			}
			appendAligned(out, hedges);
		}
		out.append("Attainment counts every request: rejected (shed) and failed requests are SLO misses.")
			.append(System.lineSeparator());
		return out.toString();
	}

	private static void appendAligned(StringBuilder out, List<List<String>> rows) {
		int columns = rows.get(0).size();
		int[] widths = new int[columns];
		for (List<String> row : rows) {
			for (int i = 0; i < columns && i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				String cell = row.get(i);
				// Names left-aligned, numbers right-aligned.
				out.append(i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true));
				out.append(i + 1 < row.size() ? "  " : "");
			}
			out.append(System.lineSeparator());
		}
	}

	private static String pad(String cell, int width, boolean right) {
		String spaces = " ".repeat(Math.max(0, width - cell.length()));
		return right ? spaces + cell : cell + spaces;
	}

	static String percent(double share) {
		return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.2f%%", share * 100);
	}

	private static String triple(Percentiles p) {
		return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", p.p50(), p.p95(), p.p99());
	}

}
