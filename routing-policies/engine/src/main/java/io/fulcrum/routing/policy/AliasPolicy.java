package io.fulcrum.routing.policy;

import java.util.List;
import java.util.Map;

import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.scoring.ScoringSettings;

/**
 * The declared routing policy of one model alias.
 *
 * @param candidates deployment ids the policy may choose from, in fallback order for ties (empty: all of the
 * alias's deployments)
 * @param scoring how the SLO-aware router decides
 * @param slos the SLO per priority class, used when a request brings none
 * @param constraints which deployments are allowed at all
 * @param tenants per-tenant overrides, each a complete policy (unset fields inherited from this one)
 * @param keys per-app-key overrides, which win over the key's tenant's (unset fields inherited from this one)
 */
public record AliasPolicy(List<String> candidates, ScoringSettings scoring, Map<Priority, Slo> slos,
		Constraints constraints, Map<String, AliasPolicy> tenants, Map<String, AliasPolicy> keys) {

	/** Cost under no SLO, every deployment, no overrides. */
	public static final AliasPolicy DEFAULT = new AliasPolicy(List.of(), ScoringSettings.DEFAULTS, Map.of(),
			Constraints.NONE, Map.of(), Map.of());

	public AliasPolicy {
		candidates = List.copyOf(candidates);
		slos = Map.copyOf(slos);
		tenants = Map.copyOf(tenants);
		keys = Map.copyOf(keys);
	}

	/** The SLO for a priority class, or {@link Slo#NONE}. */
	public Slo slo(Priority priority) {
		return this.slos.getOrDefault(priority, Slo.NONE);
	}

}
