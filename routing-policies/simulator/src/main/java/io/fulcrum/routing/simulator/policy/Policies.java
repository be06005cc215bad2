package io.fulcrum.routing.simulator.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.scoring.ScoringSettings;
import io.fulcrum.routing.scoring.SloAwarePolicy;

/** The policies the simulator knows, by name. */
public final class Policies {

	/** Fulcrum's router with the scenario's policy settings; its exploration draws from a seeded generator. */
	public static final PolicyChoice FULCRUM = new PolicyChoice("fulcrum",
			"SLO- and cost-aware router (SloAwarePolicy) with the scenario's policy", setup -> {
				SplittableRandom random = new SplittableRandom(setup.seed() ^ 0x5DEECE66DL);
				return new SloAwarePolicy(setup.scenario().scoring(), random::nextDouble);
			});

	/**
	 * Fulcrum's router with the scenario's policy and hedging on (the policy's hedging settings, switched on), so a
	 * run compares the router with and without hedges on the same luck.
	 */
	public static final PolicyChoice FULCRUM_HEDGED = new PolicyChoice("fulcrum-hedged",
			"Fulcrum's router with the scenario's policy and hedging on", setup -> {
				SplittableRandom random = new SplittableRandom(setup.seed() ^ 0x5DEECE66DL);
				ScoringSettings scoring = setup.scenario().scoring();
				return new SloAwarePolicy(scoring.withHedging(scoring.hedging().withEnabled(true)), random::nextDouble);
			});

	public static final PolicyChoice CHEAPEST = new PolicyChoice("cheapest",
			"always the cheapest deployment for the predicted tokens", setup -> RoutingPolicy.cheapest());

	public static final PolicyChoice FASTEST = new PolicyChoice("fastest",
			"always the lowest predicted median latency", setup -> RoutingPolicy.fastest());

	public static final PolicyChoice ROUND_ROBIN = new PolicyChoice("round-robin", "deployments in turn",
			setup -> RoutingPolicy.roundRobin());

	public static final PolicyChoice LEAST_BUSY = new PolicyChoice("least-busy", "fewest requests in flight",
			setup -> RoutingPolicy.leastBusy());

	public static final PolicyChoice ORACLE = new PolicyChoice("oracle",
			"offline oracle: knows each request's realised latency; cheapest that meets its SLO, else fastest", null);

	private static final Map<String, PolicyChoice> ALL = new LinkedHashMap<>();

	static {
		for (PolicyChoice choice : List.of(FULCRUM, FULCRUM_HEDGED, CHEAPEST, FASTEST, ROUND_ROBIN, LEAST_BUSY, ORACLE)) {
			ALL.put(choice.name(), choice);
		}
	}

	private Policies() {
	}

	public static List<PolicyChoice> all() {
		return List.copyOf(ALL.values());
	}

	/**
	 * Parses a comma-separated list of policy names.
	 * @throws IllegalArgumentException naming the unknown policy and the known ones
	 */
	public static List<PolicyChoice> parse(String names) {
		List<PolicyChoice> choices = new ArrayList<>();
		for (String part : names.split(",")) {
			String name = part.trim();
			if (name.isEmpty()) {
				continue;
			}
			PolicyChoice choice = ALL.get(name);
			if (choice == null) {
				throw new IllegalArgumentException("unknown policy '" + name + "' (known: " + String.join(", ",
						ALL.keySet()) + ")");
			}
			if (!choices.contains(choice)) {
				choices.add(choice);
			}
		}
		if (choices.isEmpty()) {
			throw new IllegalArgumentException("no policy given (known: " + String.join(", ", ALL.keySet()) + ")");
		}
		return choices;
	}

}
