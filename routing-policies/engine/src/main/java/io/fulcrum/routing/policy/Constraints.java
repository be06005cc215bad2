package io.fulcrum.routing.policy;

import java.util.Set;

import io.fulcrum.routing.DeploymentProfile;

/**
 * Which deployments a policy may use at all, before any scoring.
 *
 * @param providers providers allowed (empty: any)
 * @param localOnly only deployments on the team's own hardware (for tenants whose data must not leave)
 */
public record Constraints(Set<String> providers, boolean localOnly) {

	/** No restriction. */
	public static final Constraints NONE = new Constraints(Set.of(), false);

	public Constraints {
		providers = Set.copyOf(providers);
	}

	public boolean allows(DeploymentProfile profile) {
		return (!this.localOnly || profile.local())
				&& (this.providers.isEmpty() || this.providers.contains(profile.provider()));
	}

	/** E.g. {@code local-only, providers [openai]}, or {@code none}. */
	@Override
	public String toString() {
		if (!this.localOnly && this.providers.isEmpty()) {
			return "none";
		}
		String providerPart = this.providers.isEmpty() ? "" : "providers " + new java.util.TreeSet<>(this.providers);
		if (!this.localOnly) {
			return providerPart;
		}
		return providerPart.isEmpty() ? "local-only" : "local-only, " + providerPart;
	}

}
