package io.fulcrum.gateway.routing;

import org.jspecify.annotations.Nullable;

/**
 * Reads the load gauges a router needs from a backend's Prometheus text exposition, with the names and meaning
 * vLLM gives them: {@code vllm:num_requests_running}, {@code vllm:num_requests_waiting} and the KV-cache use
 * ({@code vllm:kv_cache_usage_perc}, formerly {@code vllm:gpu_cache_usage_perc}, a fraction despite the name).
 * Series with several label sets (several models on one server) are summed; cache use takes the largest.
 *
 * @param running requests in the running batch
 * @param waiting requests queued
 * @param kvCacheUsage fraction of the KV cache in use
 */
public record BackendLoadReport(int running, int waiting, double kvCacheUsage) {

	/** Parses an exposition; {@code null} when it has neither queue gauge, i.e. it is not such a backend. */
	public static @Nullable BackendLoadReport parse(String exposition) {
		double running = 0;
		double waiting = 0;
		double kv = 0;
		boolean found = false;
		for (String line : exposition.split("\n")) {
			if (line.isEmpty() || line.charAt(0) == '#') {
				continue;
			}
			String name = metricName(line);
			switch (name) {
				case "vllm:num_requests_running" -> {
					running += value(line);
					found = true;
				}
				case "vllm:num_requests_waiting" -> {
					waiting += value(line);
					found = true;
				}
				case "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc" -> kv = Math.max(kv, value(line));
				default -> {
				}
			}
		}
		return found ? new BackendLoadReport((int) running, (int) waiting, Math.min(1, kv)) : null;
	}

	private static String metricName(String line) {
		int end = 0;
		while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
			end++;
		}
		return line.substring(0, end);
	}

	/** The sample value: the first field after the name and labels (a timestamp may follow). */
	private static double value(String line) {
		int labelsEnd = line.lastIndexOf('}');
		String rest = (labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '))).trim();
		int space = rest.indexOf(' ');
		String number = space < 0 ? rest : rest.substring(0, space);
		try {
			double value = Double.parseDouble(number);
			return Double.isFinite(value) && value > 0 ? value : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
