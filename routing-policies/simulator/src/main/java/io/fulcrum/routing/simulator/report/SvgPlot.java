package io.fulcrum.routing.simulator.report;

import java.util.List;
import java.util.Locale;

/**
 * Plots total cost against SLO attainment, one labelled point per policy, as a standalone SVG. Down and to the
 * right is better: cheaper and more often within the SLO.
 */
public final class SvgPlot {

	private static final int WIDTH = 900;

	private static final int HEIGHT = 480;

	private static final int LEFT = 80;

	/** Room for the legend, which lists every policy's numbers, so overlapping points stay readable. */
	private static final int RIGHT = 220;

	private static final int TOP = 50;

	private static final int BOTTOM = 60;

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
			"#e377c2", "#7f7f7f" };

	private SvgPlot() {
	}

	public static String render(Report report) {
		List<PolicyResult> results = report.results();
		double minAttainment = 100;
		double maxCost = 0;
		for (PolicyResult r : results) {
			if (Double.isFinite(r.attainment())) {
				minAttainment = Math.min(minAttainment, r.attainment() * 100);
			}
			maxCost = Math.max(maxCost, r.costUsd());
		}
		double[] xTicks = ticks(Math.max(0, Math.floor(minAttainment - 1)), 100);
		double[] yTicks = ticks(0, maxCost > 0 ? maxCost * 1.1 : 1);
		double xMin = xTicks[0];
		double xMax = xTicks[xTicks.length - 1];
		double yMax = yTicks[yTicks.length - 1];
		double plotWidth = WIDTH - LEFT - RIGHT;
		double plotHeight = HEIGHT - TOP - BOTTOM;

		StringBuilder svg = new StringBuilder(8192);
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				+ "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
				LEFT, escape("Cost vs SLO attainment: " + report.scenario())));
		for (double tick : xTicks) {
			double x = LEFT + (tick - xMin) / (xMax - xMin) * plotWidth;
			svg.append(line(x, TOP, x, TOP + plotHeight, "#e5e5e5"));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s%%</text>%n", x,
					TOP + plotHeight + 18, format(tick)));
		}
		for (double tick : yTicks) {
			double y = TOP + plotHeight - tick / yMax * plotHeight;
			svg.append(line(LEFT, y, LEFT + plotWidth, y, "#e5e5e5"));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">$%s</text>%n",
					LEFT - 6, y + 4, format(tick)));
		}
		svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "black"));
		svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "black"));
		svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">SLO attainment "
				+ "(share of all requests within their SLO)</text>%n", LEFT + plotWidth / 2, HEIGHT - 15));
		svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%.1f) rotate(-90)\" "
				+ "text-anchor=\"middle\">total cost (USD)</text>%n", TOP + plotHeight / 2));
		for (int i = 0; i < results.size(); i++) {
			PolicyResult r = results.get(i);
			if (!Double.isFinite(r.attainment())) {
				continue;
			}
			double x = LEFT + (r.attainment() * 100 - xMin) / (xMax - xMin) * plotWidth;
			double y = TOP + plotHeight - r.costUsd() / yMax * plotHeight;
			String colour = COLOURS[i % COLOURS.length];
			svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", x, y,
					colour));
			// Labels alternate above and below so that neighbouring points stay readable.
			double labelY = i % 2 == 0 ? y - 9 : y + 18;
			boolean nearRight = x > LEFT + plotWidth * 0.8;
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"%s\">%s</text>%n",
					nearRight ? x - 4 : x + 4, labelY, colour, nearRight ? "end" : "start", escape(r.policy())));
			double legendY = TOP + 10 + i * 20;
			double legendX = LEFT + plotWidth + 20;
			svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n",
					legendX, legendY - 4, colour));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s: $%.2f, %.2f%%</text>%n",
					legendX + 10, legendY, escape(r.policy()), r.costUsd(), r.attainment() * 100));
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	/** About five round ticks spanning [from, to]. */
	static double[] ticks(double from, double to) {
		double range = Math.max(to - from, 1e-9);
		double rough = range / 5;
		double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
		double step = magnitude;
		for (double candidate : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (candidate * magnitude >= rough) {
				step = candidate * magnitude;
				break;
			}
		}
		double start = Math.floor(from / step) * step;
		int count = (int) Math.ceil((to - start) / step - 1e-9) + 1;
		double[] ticks = new double[Math.max(2, count)];
		for (int i = 0; i < ticks.length; i++) {
			ticks[i] = start + i * step;
		}
		return ticks;
	}

	private static String line(double x1, double y1, double x2, double y2, String colour) {
		return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1,
				y1, x2, y2, colour);
	}

	private static String format(double value) {
		if (value == Math.rint(value)) {
			return Long.toString((long) value);
		}
		return String.format(Locale.ROOT, "%.3g", value);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
