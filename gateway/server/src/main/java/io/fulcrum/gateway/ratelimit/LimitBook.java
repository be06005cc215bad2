package io.fulcrum.gateway.ratelimit;

import java.util.Map;

/**
 * Which limits apply to whom: per app key, tenant, model alias and deployment, each with a {@code default} entry
 * for ids not listed. Immutable; the limiter swaps a whole book when limits change.
 *
 * @param keys by app key id
 * @param tenants by tenant id
 * @param models by model alias
 * @param deployments by deployment id
 */
public record LimitBook(Map<String, Limits> keys, Map<String, Limits> tenants, Map<String, Limits> models,
		Map<String, Limits> deployments) {

	/** The entry that applies to every id not listed. */
	public static final String DEFAULT = "default";

	public LimitBook {
		keys = Map.copyOf(keys);
		tenants = Map.copyOf(tenants);
		models = Map.copyOf(models);
		deployments = Map.copyOf(deployments);
	}

	public Limits key(String id) {
		return lookup(this.keys, id);
	}

	public Limits tenant(String id) {
		return lookup(this.tenants, id);
	}

	public Limits model(String alias) {
		return lookup(this.models, alias);
	}

	public Limits deployment(String id) {
		return lookup(this.deployments, id);
	}

	private static Limits lookup(Map<String, Limits> limits, String id) {
		Limits own = limits.get(id);
		return own != null ? own : limits.getOrDefault(DEFAULT, Limits.NONE);
	}

}
