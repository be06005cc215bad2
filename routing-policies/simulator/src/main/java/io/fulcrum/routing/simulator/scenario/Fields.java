package io.fulcrum.routing.simulator.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.Durations;

/**
 * Typed access to one YAML mapping that records problems, each with its path, instead of failing at the first,
 * so a user sees everything wrong with a scenario at once.
 */
final class Fields {

	private final Map<?, ?> map;

	private final String path;

	private final List<String> problems;

	Fields(Map<?, ?> map, String path, List<String> problems) {
		this.map = map;
		this.path = path;
		this.problems = problems;
	}

	/** The mapping at {@code node}, or {@code null} after recording a problem. */
	static @Nullable Fields of(@Nullable Object node, String path, List<String> problems) {
		if (node instanceof Map<?, ?> map) {
			return new Fields(map, path, problems);
		}
		problems.add(path + ": expected a mapping (key: value), found " + describe(node));
		return null;
	}

	String path() {
		return this.path;
	}

	String at(String key) {
		return this.path.isEmpty() ? key : this.path + "." + key;
	}

	boolean has(String key) {
		return this.map.containsKey(key) && this.map.get(key) != null;
	}

	@Nullable Object raw(String key) {
		return this.map.get(key);
	}

	Map<?, ?> map() {
		return this.map;
	}

	void problem(String key, String message) {
		this.problems.add(at(key) + ": " + message);
	}

	/** Records keys outside {@code allowed}: usually typos that would otherwise be silently ignored. */
	void allowOnly(Set<String> allowed) {
		for (Object key : this.map.keySet()) {
			if (!allowed.contains(String.valueOf(key))) {
				this.problems.add(at(String.valueOf(key)) + ": unknown key (expected one of " + new TreeSet<>(allowed)
						+ ")");
			}
		}
	}

	@Nullable String string(String key, boolean required) {
		Object value = this.map.get(key);
		if (value == null) {
			if (required) {
				problem(key, "is required");
			}
			return null;
		}
		if (value instanceof Map || value instanceof List) {
			problem(key, "expected a single value, found " + describe(value));
			return null;
		}
		return String.valueOf(value).trim();
	}

	double number(String key, double min, double max, double fallback, boolean required) {
		Object value = this.map.get(key);
		if (value == null) {
			if (required) {
				problem(key, "is required");
			}
			return fallback;
		}
		double number;
		if (value instanceof Number n) {
			number = n.doubleValue();
		}
		else {
			try {
				number = Double.parseDouble(String.valueOf(value).trim());
			}
			catch (NumberFormatException ex) {
				problem(key, "'" + value + "' is not a number");
				return fallback;
			}
		}
		if (!(number >= min && number <= max)) {
			problem(key, "must be between " + plain(min) + " and " + plain(max) + ", was " + plain(number));
			return fallback;
		}
		return number;
	}

	/** A duration such as {@code 800ms}, {@code 2s}, {@code 20m} or a number of seconds; 0 allowed. */
	long nanos(String key, long fallback, boolean required) {
		Object value = this.map.get(key);
		if (value == null) {
			if (required) {
				problem(key, "is required");
			}
			return fallback;
		}
		Long parsed = parseNanos(value);
		if (parsed == null) {
			problem(key, "'" + value + "' is not a duration (use e.g. 800ms, 2s, 1.5s, 20m, or seconds as a number)");
			return fallback;
		}
		return parsed;
	}

	boolean bool(String key, boolean fallback) {
		Object value = this.map.get(key);
		if (value == null) {
			return fallback;
		}
		if (value instanceof Boolean b) {
			return b;
		}
		problem(key, "'" + value + "' is not true or false");
		return fallback;
	}

	@Nullable Fields child(String key, boolean required) {
		Object value = this.map.get(key);
		if (value == null) {
			if (required) {
				problem(key, "is required");
			}
			return null;
		}
		return of(value, at(key), this.problems);
	}

	@Nullable List<?> list(String key, boolean required) {
		Object value = this.map.get(key);
		if (value == null) {
			if (required) {
				problem(key, "is required");
			}
			return null;
		}
		if (value instanceof List<?> list) {
			return list;
		}
		problem(key, "expected a list, found " + describe(value));
		return null;
	}

	static @Nullable Long parseNanos(Object value) {
		if (value instanceof Number n) {
			double seconds = n.doubleValue();
			return seconds >= 0 && Double.isFinite(seconds) ? Math.round(seconds * 1e9) : null;
		}
		String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
		if (text.matches("0+(\\.0*)?(ms|us|s|m|h)?")) {
			return 0L;
		}
		try {
			if (text.endsWith("h")) {
				return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 3600e9);
			}
			return Durations.parseNanos(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static String describe(@Nullable Object value) {
		if (value == null) {
			return "nothing";
		}
		if (value instanceof Map) {
			return "a mapping";
		}
		if (value instanceof List) {
			return "a list";
		}
		return "'" + value + "'";
	}

	private static String plain(double value) {
		return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
				: Double.toString(value);
	}

}
