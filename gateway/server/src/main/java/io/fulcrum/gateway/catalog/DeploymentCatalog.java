package io.fulcrum.gateway.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** The validated providers, deployments and model aliases. Immutable and safe to share. */
public final class DeploymentCatalog {

	private final Map<String, ProviderEndpoint> providers;

	private final Map<String, Deployment> deployments;

	private final Map<String, ModelAlias> aliases;

	public DeploymentCatalog(List<ProviderEndpoint> providers, List<Deployment> deployments,
			List<ModelAlias> aliases) {
		this.providers = index(providers, ProviderEndpoint::id);
		this.deployments = index(deployments, Deployment::id);
		this.aliases = index(aliases, ModelAlias::name);
	}

	private static <T> Map<String, T> index(List<T> items, java.util.function.Function<T, String> id) {
		Map<String, T> map = new LinkedHashMap<>();
		items.forEach(item -> map.put(id.apply(item), item));
		return java.util.Collections.unmodifiableMap(map);
	}

	public @Nullable ModelAlias alias(String name) {
		return this.aliases.get(name);
	}

	public @Nullable Deployment deployment(String id) {
		return this.deployments.get(id);
	}

	public Collection<ModelAlias> aliases() {
		return this.aliases.values();
	}

	public Collection<Deployment> deployments() {
		return this.deployments.values();
	}

	public Collection<ProviderEndpoint> providers() {
		return this.providers.values();
	}

}
