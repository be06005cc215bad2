package io.fulcrum.routing.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.fulcrum.routing.Durations;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.scoring.BudgetPressure;
import io.fulcrum.routing.scoring.HedgeSettings;
import io.fulcrum.routing.scoring.Objective;
import io.fulcrum.routing.scoring.ScoringSettings;
import io.fulcrum.routing.scoring.WhenNoneQualify;

/**
 * Reads routing policies from YAML (or the maps YAML parses to), checking every field and reporting all problems
 * at once, each with its path. The format, per model alias:
 *
 * <pre>
 * chat-default:
 *   candidates: [gpt-4o-mini, local-llama]      # optional: default every deployment of the alias
 *   objective: cost-under-slo                   # or latency-first, weighted
 *   weights: { cost: 0.7, latency: 0.3 }        # for weighted
 *   when-none-qualify: fastest                  # or shed-batch
 *   exploration: 0.02
 *   min-observations: 10
 *   probe-concurrency: 2
 *   error-budget: true                          # spend each class's error budget (cost-under-slo)
 *   hedging: { enabled: true, below: 0.999, in-time: 0.9, min-delay: 100ms, max-share: 0.25, priced: true }
 *   slo:
 *     interactive: { ttft: 800ms, e2e: 10s, target: 0.99 }
 *     batch: { e2e: 120s, target: 0.95 }
 *   constraints: { providers: [openai, local], local-only: false }
 *   budget-pressure: { above: 0.8, target: 0.9 }
 *   tenants:
 *     acme: { constraints: { local-only: true } }   # any field above; the rest inherited
 *   keys:
 *     key_123: { slo: { interactive: { ttft: 300ms } } }   # an app key's own; wins over its tenant's
 * </pre>
 */
public final class PolicyParser {

	private static final Set<String> ALIAS_KEYS = Set.of("candidates", "objective", "weights", "when-none-qualify",
			"exploration", "min-observations", "probe-concurrency", "slo", "constraints", "budget-pressure", "tenants",
			"keys", "error-budget", "hedging");

	private final List<String> problems = new ArrayList<>();

	private PolicyParser() {
	}

	/** Parses a YAML document of alias policies. */
	public static PolicyDocument parseYaml(String yaml) {
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new PolicyException(List.of("not valid YAML: " + ex.getMessage().replace('\n', ' ')));
		}
		if (root == null) {
			return new PolicyDocument(Map.of(), yaml);
		}
		return parse(root, yaml);
	}

	/** Parses a map of alias name to alias policy, as YAML or a configuration binder produces it. */
	public static PolicyDocument parse(Object root, String source) {
		PolicyParser parser = new PolicyParser();
		Map<String, AliasPolicy> aliases = new LinkedHashMap<>();
		Map<?, ?> map = parser.map(root, "policies");
		if (map != null) {
			map.forEach((alias, node) -> {
				AliasPolicy policy = parser.aliasPolicy(node, String.valueOf(alias), AliasPolicy.DEFAULT, true);
				if (policy != null) {
					aliases.put(String.valueOf(alias), policy);
				}
			});
		}
		parser.throwIfProblems();
		return new PolicyDocument(aliases, source);
	}

	/**
	 * Parses one alias policy; unset fields come from {@code defaults}.
	 * @param path where the node is, for messages (e.g. the alias name)
	 */
	public static AliasPolicy parseAlias(Object node, String path, AliasPolicy defaults) {
		PolicyParser parser = new PolicyParser();
		AliasPolicy policy = parser.aliasPolicy(node, path, defaults, true);
		parser.throwIfProblems();
		return policy;
	}

	private void throwIfProblems() {
		if (!this.problems.isEmpty()) {
			throw new PolicyException(this.problems);
		}
	}

	private @Nullable AliasPolicy aliasPolicy(Object node, String path, AliasPolicy base, boolean allowTenants) {
		Map<?, ?> map = map(node, path);
		if (map == null) {
			return null;
		}
		Set<String> allowed = new LinkedHashSet<>(ALIAS_KEYS);
		if (!allowTenants) {
			allowed.remove("tenants");
			allowed.remove("keys");
		}
		unknownKeys(map, path, allowed);
		ScoringSettings s = base.scoring();
		Objective objective = value(map, "objective", path, Objective::parse, s.objective());
		double costWeight = s.costWeight();
		double latencyWeight = s.latencyWeight();
		Map<?, ?> weights = map.containsKey("weights") ? map(map.get("weights"), path + ".weights") : null;
		if (weights != null) {
			unknownKeys(weights, path + ".weights", Set.of("cost", "latency"));
			costWeight = number(weights, "cost", path + ".weights", 0, 1e9, costWeight);
			latencyWeight = number(weights, "latency", path + ".weights", 0, 1e9, latencyWeight);
		}
		WhenNoneQualify rule = value(map, "when-none-qualify", path, WhenNoneQualify::parse, s.whenNoneQualify());
		double exploration = number(map, "exploration", path, 0, 0.5, s.exploration());
		double minWeight = number(map, "min-observations", path, 0, 1e9, s.minWeight());
		int probes = (int) number(map, "probe-concurrency", path, 1, 1e6, s.probeConcurrency());
		BudgetPressure pressure = map.containsKey("budget-pressure")
				? budgetPressure(map.get("budget-pressure"), path + ".budget-pressure") : s.budgetPressure();
		Boolean errorBudget = value(map, "error-budget", path, PolicyParser::bool, s.spendErrorBudget());
		HedgeSettings hedging = map.containsKey("hedging") ? hedging(map.get("hedging"), path + ".hedging",
				s.hedging()) : s.hedging();
		ScoringSettings scoring = null;
		try {
			scoring = new ScoringSettings(objective, costWeight, latencyWeight, rule, exploration, minWeight, probes,
					pressure, errorBudget, hedging);
		}
		catch (IllegalArgumentException ex) {
			this.problems.add(path + ": " + ex.getMessage());
		}
		List<String> candidates = map.containsKey("candidates")
				? strings(map.get("candidates"), path + ".candidates") : base.candidates();
		Map<Priority, Slo> slos = map.containsKey("slo") ? slos(map.get("slo"), path + ".slo", base.slos())
				: base.slos();
		Constraints constraints = map.containsKey("constraints")
				? constraints(map.get("constraints"), path + ".constraints") : base.constraints();
		AliasPolicy self = scoring == null ? null
				: new AliasPolicy(candidates, scoring, slos, constraints, Map.of(), Map.of());
		Map<String, AliasPolicy> tenants = allowTenants ? overrides(map, "tenants", path, self) : Map.of();
		Map<String, AliasPolicy> keys = allowTenants ? overrides(map, "keys", path, self) : Map.of();
		return self == null ? null : new AliasPolicy(candidates, scoring, slos, constraints, tenants, keys);
	}

	/** The {@code tenants} or {@code keys} section: partial policies over {@code base}. */
	private Map<String, AliasPolicy> overrides(Map<?, ?> map, String section, String path,
			@Nullable AliasPolicy base) {
		Map<String, AliasPolicy> overrides = new LinkedHashMap<>();
		if (!map.containsKey(section)) {
			return overrides;
		}
		Map<?, ?> entries = map(map.get(section), path + "." + section);
		if (entries != null && base != null) {
			entries.forEach((id, node) -> {
				AliasPolicy override = aliasPolicy(node, path + "." + section + "." + id, base, false);
				if (override != null) {
					overrides.put(String.valueOf(id), override);
				}
			});
		}
		return overrides;
	}

	private Map<Priority, Slo> slos(Object node, String path, Map<Priority, Slo> base) {
		Map<Priority, Slo> slos = new EnumMap<>(Priority.class);
		slos.putAll(base);
		Map<?, ?> map = map(node, path);
		if (map == null) {
			return slos;
		}
		map.forEach((name, sloNode) -> {
			String at = path + "." + name;
			Priority priority;
			try {
				priority = Priority.parse(String.valueOf(name));
			}
			catch (IllegalArgumentException ex) {
				this.problems.add(at + ": " + ex.getMessage());
				return;
			}
			Map<?, ?> fields = map(sloNode, at);
			if (fields == null) {
				return;
			}
			unknownKeys(fields, at, Set.of("ttft", "e2e", "target"));
			Long ttft = value(fields, "ttft", at, Durations::parseNanos, 0L);
			Long e2e = value(fields, "e2e", at, Durations::parseNanos, 0L);
			Double target = value(fields, "target", at, Slo::parseTarget, 0.99);
			if (ttft == 0 && e2e == 0) {
				this.problems.add(at + ": an SLO needs a ttft or an e2e target");
				return;
			}
			slos.put(priority, new Slo(ttft, e2e, target));
		});
		return slos;
	}

	private Constraints constraints(Object node, String path) {
		Map<?, ?> map = map(node, path);
		if (map == null) {
			return Constraints.NONE;
		}
		unknownKeys(map, path, Set.of("providers", "local-only"));
		List<String> providers = map.containsKey("providers") ? strings(map.get("providers"), path + ".providers")
				: List.of();
		Boolean localOnly = value(map, "local-only", path, PolicyParser::bool, false);
		return new Constraints(Set.copyOf(providers), localOnly);
	}

	private @Nullable BudgetPressure budgetPressure(Object node, String path) {
		Map<?, ?> map = map(node, path);
		if (map == null) {
			return null;
		}
		unknownKeys(map, path, Set.of("above", "target"));
		if (!map.containsKey("above") || !map.containsKey("target")) {
			this.problems.add(path + ": needs both 'above' (share of budget spent) and 'target' (SLO target)");
			return null;
		}
		double above = number(map, "above", path, 0, 1, 0.8);
		Double target = value(map, "target", path, Slo::parseTarget, 0.9);
		try {
			return new BudgetPressure(above, target);
		}
		catch (IllegalArgumentException ex) {
			this.problems.add(path + ": " + ex.getMessage());
			return null;
		}
	}

	/** The {@code hedging} section; unset fields come from {@code base} (an override inherits its alias's). */
	private HedgeSettings hedging(Object node, String path, HedgeSettings base) {
		Map<?, ?> map = map(node, path);
		if (map == null) {
			return base;
		}
		unknownKeys(map, path, Set.of("enabled", "below", "in-time", "min-delay", "max-share", "priced"));
		Boolean enabled = value(map, "enabled", path, PolicyParser::bool, base.enabled());
		double below = number(map, "below", path, 0.5, 1, base.below());
		Double inTime = value(map, "in-time", path, Slo::parseTarget, base.inTime());
		Long minDelay = value(map, "min-delay", path, Durations::parseNanos, base.minDelayNanos());
		double maxShare = number(map, "max-share", path, 0.001, 1, base.maxShare());
		Boolean priced = value(map, "priced", path, PolicyParser::bool, base.priced());
		try {
			return new HedgeSettings(enabled, below, inTime, minDelay, maxShare, priced);
		}
		catch (IllegalArgumentException ex) {
			this.problems.add(path + ": " + ex.getMessage());
			return base;
		}
	}

	private @Nullable Map<?, ?> map(Object node, String path) {
		if (node instanceof Map<?, ?> map) {
			return map;
		}
		this.problems.add(path + ": expected a mapping of keys to values, found " + describe(node));
		return null;
	}

	private List<String> strings(Object node, String path) {
		if (node instanceof List<?> list) {
			List<String> out = new ArrayList<>(list.size());
			for (Object item : list) {
				if (item instanceof String || item instanceof Number) {
					out.add(String.valueOf(item));
				}
				else {
					this.problems.add(path + ": expected names, found " + describe(item));
				}
			}
			return out;
		}
		if (node instanceof String text) {
			// A binder may hand over a comma-separated string.
			return List.of(text.split("\\s*,\\s*"));
		}
		this.problems.add(path + ": expected a list of names, found " + describe(node));
		return List.of();
	}

	private void unknownKeys(Map<?, ?> map, String path, Set<String> known) {
		for (Object key : map.keySet()) {
			if (!known.contains(String.valueOf(key))) {
				this.problems.add(path + ": unknown key '" + key + "' (known: " + String.join(", ", sorted(known))
						+ ")");
			}
		}
	}

	private double number(Map<?, ?> map, String key, String path, double min, double max, double fallback) {
		if (!map.containsKey(key)) {
			return fallback;
		}
		Object raw = map.get(key);
		double value;
		try {
			value = raw instanceof Number number ? number.doubleValue() : Double.parseDouble(String.valueOf(raw));
		}
		catch (NumberFormatException ex) {
			this.problems.add(path + "." + key + ": '" + raw + "' is not a number");
			return fallback;
		}
		if (!(value >= min && value <= max)) {
			this.problems.add(path + "." + key + ": " + raw + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
			return fallback;
		}
		return value;
	}

	private <T> T value(Map<?, ?> map, String key, String path, Function<String, T> parse, T fallback) {
		if (!map.containsKey(key)) {
			return fallback;
		}
		Object raw = map.get(key);
		try {
			return parse.apply(String.valueOf(raw));
		}
		catch (IllegalArgumentException ex) {
			this.problems.add(path + "." + key + ": " + ex.getMessage());
			return fallback;
		}
	}

	private static Boolean bool(String text) {
		return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
		};
	}

	private static String describe(@Nullable Object node) {
		if (node == null) {
			return "nothing";
		}
		if (node instanceof List<?>) {
			return "a list";
		}
		if (node instanceof Map<?, ?>) {
			return "a mapping";
		}
		return "'" + node + "'";
	}

	private static List<String> sorted(Set<String> keys) {
		List<String> list = new ArrayList<>(keys);
		list.sort(null);
		return list;
	}

	private static String fmt(double value) {
		return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
	}

}
