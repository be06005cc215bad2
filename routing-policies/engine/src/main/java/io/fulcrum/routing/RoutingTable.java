package io.fulcrum.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.policy.AliasPolicy;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.scoring.SloAwarePolicy;
import io.fulcrum.routing.telemetry.DeploymentStats;

/**
 * Policies compiled against the deployments that exist: for every model alias (and every tenant with an override)
 * the candidates to consider, the policy that ranks them and the SLOs of its priority classes. Immutable; the
 * {@link Router} swaps a whole table when policies change.
 */
public final class RoutingTable {

	private final Map<String, AliasRoute> aliases;

	private RoutingTable(Map<String, AliasRoute> aliases) {
		this.aliases = Map.copyOf(aliases);
	}

	/**
	 * Checks {@code document} against the catalog and compiles it.
	 * @param deploymentsByAlias every alias's deployments in configured order, with a priority each
	 * @param stats the live statistics of a deployment (kept across tables, so learning survives policy changes)
	 * @param random exploration's random numbers
	 * @throws PolicyException listing every policy that names an unknown alias or deployment, or leaves no candidate
	 */
	public static RoutingTable compile(PolicyDocument document, Map<String, List<Ranked>> deploymentsByAlias,
			Function<String, DeploymentStats> stats, DoubleSupplier random) {
		List<String> problems = new ArrayList<>();
		for (String alias : document.aliases().keySet()) {
			if (!deploymentsByAlias.containsKey(alias)) {
				problems.add(alias + ": no such model alias (known: " + String.join(", ", deploymentsByAlias.keySet())
						+ ")");
			}
		}
		Map<String, AliasRoute> routes = new LinkedHashMap<>();
		deploymentsByAlias.forEach((alias, deployments) -> {
			List<Candidate> all = new ArrayList<>(deployments.size());
			for (Ranked ranked : deployments) {
				all.add(new Candidate(ranked.profile(), ranked.priority(), stats.apply(ranked.profile().id())));
			}
			AliasPolicy policy = document.aliases().get(alias);
			if (policy == null) {
				routes.put(alias, new AliasRoute(all, RoutingPolicy.ordered(), AliasPolicy.DEFAULT, Map.of(), Map.of()));
				return;
			}
			AliasRoute base = compileOne(alias, policy, all, random, problems);
			Map<String, AliasRoute> tenants = compileOverrides(alias + ".tenants.", policy.tenants(), all, random,
					problems);
			Map<String, AliasRoute> keys = compileOverrides(alias + ".keys.", policy.keys(), all, random, problems);
			if (base != null) {
				routes.put(alias, new AliasRoute(base.candidates, base.policy, policy, tenants, keys));
			}
		});
		if (!problems.isEmpty()) {
			throw new PolicyException(problems);
		}
		return new RoutingTable(routes);
	}

	private static Map<String, AliasRoute> compileOverrides(String path, Map<String, AliasPolicy> overrides,
			List<Candidate> all, DoubleSupplier random, List<String> problems) {
		Map<String, AliasRoute> routes = new HashMap<>();
		overrides.forEach((id, override) -> {
			AliasRoute route = compileOne(path + id, override, all, random, problems);
			if (route != null) {
				routes.put(id, route);
			}
		});
		return routes;
	}

	private static @Nullable AliasRoute compileOne(String path, AliasPolicy policy, List<Candidate> all,
			DoubleSupplier random, List<String> problems) {
		List<Candidate> chosen = new ArrayList<>();
		int problemsBefore = problems.size();
		if (policy.candidates().isEmpty()) {
			chosen.addAll(all);
		}
		else {
			for (String id : policy.candidates()) {
				Candidate match = all.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
				if (match == null) {
					problems.add(path + ".candidates: '" + id + "' is not a deployment of this alias (known: "
							+ String.join(", ", all.stream().map(Candidate::id).toList()) + ")");
				}
				else {
					chosen.add(match);
				}
			}
		}
		if (problems.size() > problemsBefore) {
			return null;
		}
		chosen.removeIf(candidate -> !policy.constraints().allows(candidate.profile()));
		if (chosen.isEmpty()) {
			problems.add(path + ": no candidate is allowed by the constraints (" + policy.constraints() + ")");
			return null;
		}
		return new AliasRoute(chosen, new SloAwarePolicy(policy.scoring(), random), policy, Map.of(), Map.of());
	}

	/**
	 * The route of {@code alias} for an app key of a tenant: the key's override, else the tenant's, else the
	 * alias's; {@code null} when the alias is unknown.
	 */
	public @Nullable AliasRoute route(String alias, String tenantId, String keyId) {
		AliasRoute route = this.aliases.get(alias);
		if (route == null) {
			return null;
		}
		AliasRoute forKey = route.keys.get(keyId);
		return forKey != null ? forKey : route.tenants.getOrDefault(tenantId, route);
	}

	/**
	 * A deployment of an alias with its configured priority.
	 *
	 * @param profile the deployment
	 * @param priority lower first, where order matters
	 */
	public record Ranked(DeploymentProfile profile, int priority) {
	}

	/**
	 * How one alias (for one tenant) is routed.
	 *
	 * @param candidates deployments allowed by the policy, in configured order
	 * @param policy what ranks them
	 * @param declared the declared policy (SLOs per priority class)
	 * @param tenants per-tenant routes (empty inside an override's route)
	 * @param keys per-app-key routes (empty inside an override's route)
	 */
	public record AliasRoute(List<Candidate> candidates, RoutingPolicy policy, AliasPolicy declared,
			Map<String, AliasRoute> tenants, Map<String, AliasRoute> keys) {

		public AliasRoute {
			candidates = List.copyOf(candidates);
			tenants = Map.copyOf(tenants);
			keys = Map.copyOf(keys);
		}

	}

}
