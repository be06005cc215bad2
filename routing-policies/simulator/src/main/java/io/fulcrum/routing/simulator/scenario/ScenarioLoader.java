package io.fulcrum.routing.simulator.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.policy.AliasPolicy;
import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.policy.PolicyParser;
import io.fulcrum.routing.scoring.ScoringSettings;

/**
 * Reads a scenario from YAML (JSON is YAML too) and validates all of it, reporting every problem with its path
 * (e.g. {@code deployments[2].ttft.sigma: must be between 0 and 5, was -1}). The format is documented in
 * {@code docs/routing.md}, section "Simulator".
 */
public final class ScenarioLoader {

	private static final Set<String> TOP = Set.of("name", "description", "alias", "deployments", "windows",
			"slo-classes", "class-mapping", "policy", "attempt-timeout", "circuit-breaker", "rate-limited-after");

	private static final Set<String> DEPLOYMENT = Set.of("id", "provider", "local", "prices", "ttft", "per-token",
			"tokens-per-second", "prefill-tokens-per-second", "error-rate", "limits", "max-concurrency", "gpu", "prior");

	private static final Set<String> DISTRIBUTION = Set.of("median", "sigma", "p50", "p90", "p95", "p99");

	private final List<String> problems = new ArrayList<>();

	private ScenarioLoader() {
	}

	/** Loads and validates the scenario at {@code path}. */
	public static Scenario load(Path path) throws IOException {
		return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
	}

	/** Parses and validates a scenario; {@code source} names it in messages. */
	public static Scenario parse(String yaml, String source) {
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new ScenarioException(source, List.of("not valid YAML: " + ex.getMessage().replace('\n', ' ')));
		}
		ScenarioLoader loader = new ScenarioLoader();
		Scenario scenario = loader.scenario(root, source);
		if (!loader.problems.isEmpty() || scenario == null) {
			throw new ScenarioException(source, loader.problems);
		}
		return scenario;
	}

	private @Nullable Scenario scenario(@Nullable Object root, String source) {
		Fields top = Fields.of(root, "", this.problems);
		if (top == null) {
			return null;
		}
		top.allowOnly(TOP);
		String name = top.has("name") ? top.string("name", false) : Path.of(source).getFileName().toString();
		String alias = top.string("alias", true);
		List<DeploymentSpec> deployments = deployments(top);
		Set<String> ids = declaredIds(top);
		List<Window> windows = windows(top, ids);
		Map<String, SloClass> classes = classes(top);
		ClassMapping mapping = mapping(top, classes);
		ScoringSettings scoring = scoring(top);
		long timeout = top.nanos("attempt-timeout", 0, false);
		Scenario.CircuitBreakerSpec breaker = breaker(top);
		long rateLimitedAfter = top.nanos("rate-limited-after", 50_000_000L, false);
		if (!this.problems.isEmpty()) {
			return null;
		}
		return new Scenario(name, alias, deployments, windows, classes, mapping, scoring, timeout, breaker,
				rateLimitedAfter);
	}

	/** Every deployment id written in the file, valid deployment or not, so one mistake is not reported twice. */
	private static Set<String> declaredIds(Fields top) {
		Set<String> ids = new LinkedHashSet<>();
		if (top.raw("deployments") instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof Map<?, ?> map && map.get("id") != null) {
					ids.add(String.valueOf(map.get("id")).trim());
				}
			}
		}
		return ids;
	}

	private List<DeploymentSpec> deployments(Fields top) {
		List<?> list = top.list("deployments", true);
		List<DeploymentSpec> deployments = new ArrayList<>();
		if (list == null) {
			return deployments;
		}
		if (list.isEmpty()) {
			top.problem("deployments", "needs at least one deployment");
		}
		Set<String> seen = new LinkedHashSet<>();
		for (int i = 0; i < list.size(); i++) {
			Fields fields = Fields.of(list.get(i), "deployments[" + i + "]", this.problems);
			if (fields == null) {
				continue;
			}
			DeploymentSpec spec = deployment(fields);
			if (spec != null) {
				if (!seen.add(spec.id())) {
					fields.problem("id", "'" + spec.id() + "' is used by more than one deployment");
				}
				deployments.add(spec);
			}
		}
		return deployments;
	}

	private @Nullable DeploymentSpec deployment(Fields d) {
		int before = this.problems.size();
		d.allowOnly(DEPLOYMENT);
		String id = d.string("id", true);
		String provider = d.has("provider") ? d.string("provider", false) : id;
		GpuSpec gpu = d.has("gpu") ? gpu(d.child("gpu", true)) : null;
		boolean local = d.bool("local", gpu != null);
		// An owned GPU has no list price: free unless the scenario sets an amortised one.
		TokenPrices prices = d.has("prices") || !d.has("gpu") ? prices(d.child("prices", true)) : TokenPrices.FREE;
		LatencyDistribution ttft = null;
		LatencyDistribution perToken = null;
		if (!d.has("gpu")) {
			ttft = distribution(d, "ttft", true);
			if (d.has("per-token") == d.has("tokens-per-second")) {
				d.problem("per-token", "give exactly one of per-token (a latency distribution) and tokens-per-second");
			}
			else if (d.has("per-token")) {
				perToken = distribution(d, "per-token", true);
			}
			else {
				perToken = tokensPerSecond(d);
			}
		}
		else if (d.has("ttft") || d.has("per-token") || d.has("tokens-per-second")) {
			d.problem("gpu", "a GPU deployment derives its latencies from gpu.*; remove ttft, per-token and "
					+ "tokens-per-second");
		}
		double prefill = d.number("prefill-tokens-per-second", 0, 1e9, 0, false);
		double errorRate = d.number("error-rate", 0, 1, 0, false);
		RateLimits limits = limits(d);
		int concurrency = (int) d.number("max-concurrency", 0, 1e7, 0, false);
		LatencyPrior prior = prior(d, ttft, perToken, gpu);
		if (this.problems.size() > before || id == null) {
			return null;
		}
		if (gpu != null) {
			// Placeholders: a GPU's latencies come from its batch model.
			ttft = new LatencyDistribution(gpu.baseTtftSeconds() > 0 ? gpu.baseTtftSeconds() : 0.01, 0);
			perToken = new LatencyDistribution(1 / gpu.tokensPerSecond()[0], 0);
		}
		return new DeploymentSpec(id, provider, local, prices, ttft, perToken, prefill, errorRate, limits,
				concurrency, gpu, prior);
	}

	private @Nullable TokenPrices prices(@Nullable Fields p) {
		if (p == null) {
			return null;
		}
		p.allowOnly(Set.of("input", "output", "cached-input", "per-request"));
		double input = p.number("input", 0, 1e6, 0, true);
		double output = p.number("output", 0, 1e6, 0, true);
		double cached = p.number("cached-input", 0, 1e6, input, false);
		double perRequest = p.number("per-request", 0, 1e6, 0, false);
		return new TokenPrices(input, output, cached, perRequest);
	}

	/** A lognormal of durations: {@code median} and {@code sigma}, or two or more of p50, p90, p95 and p99. */
	private @Nullable LatencyDistribution distribution(Fields parent, String key, boolean required) {
		Fields f = parent.child(key, required);
		if (f == null) {
			return null;
		}
		f.allowOnly(DISTRIBUTION);
		if (f.has("median")) {
			long median = f.nanos("median", -1, true);
			double sigma = f.number("sigma", 0, 5, 0, true);
			if (f.has("p50") || f.has("p90") || f.has("p95") || f.has("p99")) {
				parent.problem(key, "give either median and sigma or quantiles (p50, p90, p95, p99), not both");
			}
			if (median < 0) {
				return null;
			}
			if (median == 0) {
				f.problem("median", "must be positive");
				return null;
			}
			return new LatencyDistribution(median / 1e9, sigma);
		}
		List<Double> probabilities = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		for (String q : List.of("p50", "p90", "p95", "p99")) {
			if (f.has(q)) {
				long value = f.nanos(q, -1, true);
				if (value < 0) {
					return null;
				}
				if (value == 0) {
					f.problem(q, "must be positive");
					return null;
				}
				if (!values.isEmpty() && value < values.get(values.size() - 1) * 1e9) {
					f.problem(q, "must not be below the lower quantiles");
					return null;
				}
				probabilities.add(Double.parseDouble(q.substring(1)) / 100);
				values.add(value / 1e9);
			}
		}
		if (probabilities.size() < 2) {
			parent.problem(key, "give median and sigma, or at least two of p50, p90, p95 and p99");
			return null;
		}
		return LatencyDistribution.fit(probabilities.stream().mapToDouble(Double::doubleValue).toArray(),
				values.stream().mapToDouble(Double::doubleValue).toArray());
	}

	/** Decode speed {@code {median, sigma}} (or a bare median), turned into seconds per token. */
	private @Nullable LatencyDistribution tokensPerSecond(Fields d) {
		Object raw = d.raw("tokens-per-second");
		if (raw instanceof Map) {
			Fields f = d.child("tokens-per-second", true);
			f.allowOnly(Set.of("median", "sigma"));
			double median = f.number("median", 1e-3, 1e7, 0, true);
			double sigma = f.number("sigma", 0, 5, 0, true);
			return median > 0 ? new LatencyDistribution(1 / median, sigma) : null;
		}
		double median = d.number("tokens-per-second", 1e-3, 1e7, 0, true);
		// A bare speed gets a modest spread: decode speed varies much less than time to first token.
		return median > 0 ? new LatencyDistribution(1 / median, 0.2) : null;
	}

	private RateLimits limits(Fields d) {
		Fields l = d.child("limits", false);
		if (l == null) {
			return RateLimits.NONE;
		}
		l.allowOnly(Set.of("requests-per-minute", "tokens-per-minute"));
		return new RateLimits((long) l.number("requests-per-minute", 0, 1e12, 0, false),
				(long) l.number("tokens-per-minute", 0, 1e15, 0, false));
	}

	private @Nullable GpuSpec gpu(@Nullable Fields g) {
		if (g == null) {
			return null;
		}
		g.allowOnly(Set.of("max-batch", "prefill-tokens-per-second", "decode-tokens-per-second", "queue-limit",
				"kv-cache-tokens", "jitter", "base-ttft"));
		int maxBatch = (int) g.number("max-batch", 1, 100_000, 1, true);
		double prefill = g.number("prefill-tokens-per-second", 1, 1e9, 1, true);
		Fields curve = g.child("decode-tokens-per-second", true);
		List<double[]> points = new ArrayList<>();
		if (curve != null) {
			for (Map.Entry<?, ?> entry : curve.map().entrySet()) {
				String key = String.valueOf(entry.getKey());
				try {
					int batch = Integer.parseInt(key.trim());
					double speed = new Fields(Map.of(key, entry.getValue()), curve.path(), this.problems).number(key,
							1e-3, 1e7, 0, true);
					if (batch < 1) {
						curve.problem(key, "batch sizes must be at least 1");
					}
					else if (speed > 0) {
						points.add(new double[] { batch, speed });
					}
				}
				catch (NumberFormatException ex) {
					curve.problem(key, "keys must be batch sizes (whole numbers), e.g. {1: 80, 8: 55, 16: 38}");
				}
			}
			if (points.isEmpty()) {
				g.problem("decode-tokens-per-second", "needs at least one batch size: tokens/s point");
			}
		}
		points.sort((a, b) -> Double.compare(a[0], b[0]));
		int queueLimit = (int) g.number("queue-limit", 0, 1e7, 1_000_000, false);
		long kv = (long) g.number("kv-cache-tokens", 0, 1e12, 0, false);
		double jitter = g.number("jitter", 0, 3, 0.1, false);
		long base = g.nanos("base-ttft", 20_000_000L, false);
		if (points.isEmpty()) {
			return null;
		}
		return new GpuSpec(maxBatch, prefill, points.stream().mapToDouble(p -> p[0]).toArray(),
				points.stream().mapToDouble(p -> p[1]).toArray(), queueLimit, kv, jitter, base / 1e9);
	}

	private @Nullable LatencyPrior prior(Fields d, @Nullable LatencyDistribution ttft,
			@Nullable LatencyDistribution perToken, @Nullable GpuSpec gpu) {
		Fields p = d.child("prior", false);
		double ttftSeconds = ttft != null ? ttft.median() : 0.1;
		double speed = perToken != null ? 1 / perToken.median() : 50;
		if (gpu != null) {
			ttftSeconds = gpu.baseTtftSeconds() + 1000 / gpu.prefillTokensPerSecond();
			speed = gpu.decodeTokensPerSecond(1);
		}
		if (p != null) {
			p.allowOnly(Set.of("ttft", "tokens-per-second"));
			ttftSeconds = p.has("ttft") ? p.nanos("ttft", 0, false) / 1e9 : ttftSeconds;
			speed = p.number("tokens-per-second", 1e-3, 1e7, speed, false);
			if (ttftSeconds <= 0) {
				p.problem("ttft", "must be positive");
				return null;
			}
		}
		return ttftSeconds > 0 && speed > 0 ? new LatencyPrior(ttftSeconds, speed) : null;
	}

	private List<Window> windows(Fields top, Set<String> ids) {
		List<?> list = top.list("windows", false);
		List<Window> windows = new ArrayList<>();
		if (list == null) {
			return windows;
		}
		for (int i = 0; i < list.size(); i++) {
			Fields w = Fields.of(list.get(i), "windows[" + i + "]", this.problems);
			if (w == null) {
				continue;
			}
			w.allowOnly(Set.of("deployment", "kind", "from", "to", "factor", "error-rate"));
			String deployment = w.string("deployment", true);
			if (deployment != null && !ids.contains(deployment)) {
				w.problem("deployment", "'" + deployment + "' is not a deployment of this scenario " + ids);
			}
			String kind = w.string("kind", true);
			long from = w.nanos("from", 0, true);
			long to = w.nanos("to", 0, true);
			if (w.has("from") && w.has("to") && to <= from) {
				w.problem("to", "must be after 'from'");
			}
			if ("brownout".equals(kind)) {
				double factor = w.number("factor", 0.01, 1e6, 1, true);
				windows.add(new Window(deployment, Window.Kind.BROWNOUT, from, to, factor, 0));
			}
			else if ("outage".equals(kind)) {
				double rate = w.number("error-rate", 0, 1, 1, false);
				windows.add(new Window(deployment, Window.Kind.OUTAGE, from, to, 1, rate));
			}
			else if (kind != null) {
				w.problem("kind", "'" + kind + "' is not a window kind (brownout, outage)");
			}
		}
		return windows;
	}

	private Map<String, SloClass> classes(Fields top) {
		Map<String, SloClass> classes = new LinkedHashMap<>();
		Fields all = top.child("slo-classes", true);
		if (all == null) {
			return classes;
		}
		if (all.map().isEmpty()) {
			top.problem("slo-classes", "needs at least one class");
		}
		for (Map.Entry<?, ?> entry : all.map().entrySet()) {
			String name = String.valueOf(entry.getKey());
			Fields c = Fields.of(entry.getValue(), all.at(name), this.problems);
			if (c == null) {
				continue;
			}
			c.allowOnly(Set.of("priority", "stream", "ttft", "e2e", "target"));
			Priority priority = Priority.INTERACTIVE;
			String text = c.string("priority", false);
			if (text != null) {
				try {
					priority = Priority.parse(text);
				}
				catch (IllegalArgumentException ex) {
					c.problem("priority", ex.getMessage());
				}
			}
			boolean stream = c.bool("stream", priority == Priority.INTERACTIVE);
			long ttft = c.nanos("ttft", 0, false);
			long e2e = c.nanos("e2e", 0, false);
			double target = 0.99;
			String targetText = c.string("target", false);
			if (targetText != null) {
				try {
					target = Slo.parseTarget(targetText);
				}
				catch (IllegalArgumentException ex) {
					c.problem("target", ex.getMessage());
				}
			}
			if (ttft == 0 && e2e == 0) {
				c.problem("ttft", "a class needs a ttft or an e2e target (or both)");
			}
			classes.put(name, new SloClass(name, priority, stream, new Slo(ttft, e2e, target)));
		}
		return classes;
	}

	private ClassMapping mapping(Fields top, Map<String, SloClass> classes) {
		Fields m = top.child("class-mapping", false);
		String first = classes.isEmpty() ? null : classes.keySet().iterator().next();
		if (m == null) {
			return new ClassMapping(true, first, Map.of());
		}
		m.allowOnly(Set.of("trace-column", "default", "shares"));
		boolean column = m.bool("trace-column", true);
		String fallback = m.has("default") ? m.string("default", false) : first;
		if (fallback != null && !classes.isEmpty() && !classes.containsKey(fallback)) {
			m.problem("default", "'" + fallback + "' is not an SLO class " + classes.keySet());
		}
		Map<String, Double> shares = new LinkedHashMap<>();
		Fields s = m.child("shares", false);
		if (s != null) {
			double total = 0;
			for (Object key : s.map().keySet()) {
				String name = String.valueOf(key);
				if (!classes.containsKey(name)) {
					s.problem(name, "is not an SLO class " + classes.keySet());
				}
				double share = s.number(name, 0, 1, 0, true);
				shares.put(name, share);
				total += share;
			}
			if (Math.abs(total - 1) > 1e-6) {
				m.problem("shares", "must add up to 1, add up to " + total);
			}
		}
		return new ClassMapping(column, fallback, shares);
	}

	private ScoringSettings scoring(Fields top) {
		if (!top.has("policy")) {
			return ScoringSettings.DEFAULTS;
		}
		try {
			return PolicyParser.parseAlias(top.raw("policy"), "policy", AliasPolicy.DEFAULT).scoring();
		}
		catch (PolicyException ex) {
			this.problems.addAll(ex.problems());
			return ScoringSettings.DEFAULTS;
		}
	}

	private Scenario.CircuitBreakerSpec breaker(Fields top) {
		Fields b = top.child("circuit-breaker", false);
		if (b == null) {
			return Scenario.CircuitBreakerSpec.DEFAULT;
		}
		b.allowOnly(Set.of("failures", "open-for"));
		int failures = (int) b.number("failures", 0, 1e6, 5, false);
		long open = b.nanos("open-for", 30_000_000_000L, false);
		return new Scenario.CircuitBreakerSpec(failures, open);
	}

}
