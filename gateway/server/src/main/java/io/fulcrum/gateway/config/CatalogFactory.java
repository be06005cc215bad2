package io.fulcrum.gateway.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.catalog.ProviderEndpoint;
import io.fulcrum.gateway.catalog.ProviderKind;
import io.fulcrum.gateway.catalog.Secret;
import org.jspecify.annotations.Nullable;

/**
 * Turns bound {@link FulcrumProperties} into a {@link DeploymentCatalog}, checking everything at once: each problem
 * found is collected, and any problem fails start-up with all of them listed.
 */
public final class CatalogFactory {

	/** The base URL that means "the provider simulator started in this process". */
	public static final String EMBEDDED_SIMULATOR = "embedded-simulator";

	/** The base URL that means "the local backend started in this process". */
	public static final String EMBEDDED_LOCAL_BACKEND = "embedded-local-backend";

	private final Function<String, @Nullable String> environment;

	private final @Nullable String simulatorUrl;

	private final @Nullable String localBackendUrl;

	/**
	 * @param environment reads an environment variable ({@code System::getenv} in production)
	 * @param simulatorUrl root URL of the embedded simulator, or {@code null} when none runs
	 */
	public CatalogFactory(Function<String, @Nullable String> environment, @Nullable String simulatorUrl) {
		this(environment, simulatorUrl, null);
	}

	/**
	 * @param localBackendUrl root URL of the embedded local backend, or {@code null} when none runs
	 */
	public CatalogFactory(Function<String, @Nullable String> environment, @Nullable String simulatorUrl,
			@Nullable String localBackendUrl) {
		this.environment = environment;
		this.simulatorUrl = simulatorUrl;
		this.localBackendUrl = localBackendUrl;
	}

	public DeploymentCatalog create(FulcrumProperties properties) {
		List<String> problems = new ArrayList<>();
		Map<String, ProviderEndpoint> providers = new LinkedHashMap<>();
		properties.providers().forEach((id, p) -> {
			ProviderEndpoint endpoint = provider(id, p, problems);
			if (endpoint != null) {
				providers.put(id, endpoint);
			}
		});
		Map<String, Deployment> deployments = new LinkedHashMap<>();
		properties.deployments().forEach((id, d) -> {
			Deployment deployment = deployment(id, d, providers, properties.providers().keySet(), problems);
			if (deployment != null) {
				deployments.put(id, deployment);
			}
		});
		List<ModelAlias> aliases = new ArrayList<>();
		properties.models().forEach((name, m) -> {
			ModelAlias alias = alias(name, m, deployments, properties.deployments().keySet(), problems);
			if (alias != null) {
				aliases.add(alias);
			}
		});
		if (properties.models().isEmpty()) {
			problems.add("fulcrum.models: no model aliases are configured, so no request could be served");
		}
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		return new DeploymentCatalog(List.copyOf(providers.values()), List.copyOf(deployments.values()), aliases);
	}

	private @Nullable ProviderEndpoint provider(String id, FulcrumProperties.Provider p, List<String> problems) {
		String where = "fulcrum.providers." + id;
		int before = problems.size();
		ProviderKind kind = null;
		if (p.type() == null || p.type().isBlank()) {
			problems.add(where + ".type: required (openai, anthropic or fulcrum-local)");
		}
		else {
			try {
				kind = ProviderKind.fromConfig(p.type().toLowerCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				problems.add(where + ".type: " + ex.getMessage());
			}
		}
		String baseUrl = baseUrl(where, p.baseUrl(), kind, problems);
		Secret secret = Secret.NONE;
		if (p.apiKeyEnv() != null && !p.apiKeyEnv().isBlank()) {
			String value = this.environment.apply(p.apiKeyEnv());
			if (value == null || value.isBlank()) {
				problems.add(where + ".api-key-env: environment variable " + p.apiKeyEnv() + " is not set");
			}
			else {
				secret = Secret.of(value.trim());
			}
		}
		positive(where + ".connect-timeout", p.connectTimeout().toMillis(), problems);
		positive(where + ".first-token-timeout", p.firstTokenTimeout().toMillis(), problems);
		positive(where + ".total-timeout", p.totalTimeout().toMillis(), problems);
		positive(where + ".max-connections", p.maxConnections(), problems);
		String metricsUrl = metricsUrl(where, p.metricsUrl(), problems);
		if (metricsUrl == null && kind == ProviderKind.FULCRUM_LOCAL && baseUrl != null) {
			// The local backend reports its load on the same server: poll it without being told.
			metricsUrl = (baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl) + "/metrics";
		}
		if (problems.size() > before || kind == null || baseUrl == null) {
			return null;
		}
		return new ProviderEndpoint(id, kind, baseUrl, secret, p.connectTimeout(), p.firstTokenTimeout(),
				p.totalTimeout(), p.maxConnections(), Map.copyOf(p.headers()), metricsUrl);
	}

	private @Nullable String metricsUrl(String where, @Nullable String configured, List<String> problems) {
		if (configured == null || configured.isBlank()) {
			return null;
		}
		if (configured.equals(EMBEDDED_SIMULATOR)) {
			if (this.simulatorUrl == null) {
				problems.add(where + ".metrics-url: '" + EMBEDDED_SIMULATOR + "' needs fulcrum.simulator.enabled=true");
				return null;
			}
			return this.simulatorUrl + "/metrics";
		}
		if (configured.equals(EMBEDDED_LOCAL_BACKEND)) {
			if (this.localBackendUrl == null) {
				problems.add(where + ".metrics-url: '" + EMBEDDED_LOCAL_BACKEND
						+ "' needs fulcrum.local-backend.enabled=true");
				return null;
			}
			return this.localBackendUrl + "/metrics";
		}
		if (!configured.startsWith("http://") && !configured.startsWith("https://")) {
			problems.add(where + ".metrics-url: '" + configured + "' is not an http(s) URL");
			return null;
		}
		return configured;
	}

	private @Nullable String baseUrl(String where, @Nullable String configured, @Nullable ProviderKind kind,
			List<String> problems) {
		if (configured == null || configured.isBlank()) {
			problems.add(where + ".base-url: required");
			return null;
		}
		if (configured.equals(EMBEDDED_SIMULATOR)) {
			if (this.simulatorUrl == null) {
				problems.add(where + ".base-url: '" + EMBEDDED_SIMULATOR
						+ "' needs fulcrum.simulator.enabled=true");
				return null;
			}
			return kind == ProviderKind.ANTHROPIC ? this.simulatorUrl : this.simulatorUrl + "/v1";
		}
		if (configured.equals(EMBEDDED_LOCAL_BACKEND)) {
			if (this.localBackendUrl == null) {
				problems.add(where + ".base-url: '" + EMBEDDED_LOCAL_BACKEND
						+ "' needs fulcrum.local-backend.enabled=true");
				return null;
			}
			if (kind == ProviderKind.ANTHROPIC) {
				problems.add(where + ".base-url: the local backend speaks OpenAI's API, not Anthropic's");
				return null;
			}
			return this.localBackendUrl + "/v1";
		}
		try {
			URI uri = URI.create(configured);
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
				problems.add(where + ".base-url: '" + configured + "' is not an http(s) URL");
				return null;
			}
		}
		catch (IllegalArgumentException ex) {
			problems.add(where + ".base-url: '" + configured + "' is not a valid URL");
			return null;
		}
		return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
	}

	private @Nullable Deployment deployment(String id, FulcrumProperties.Deployment d,
			Map<String, ProviderEndpoint> providers, Set<String> configuredProviders, List<String> problems) {
		String where = "fulcrum.deployments." + id;
		int before = problems.size();
		ProviderEndpoint provider = null;
		if (d.provider() == null || d.provider().isBlank()) {
			problems.add(where + ".provider: required");
		}
		else {
			provider = providers.get(d.provider());
			if (provider == null && !configuredProviders.contains(d.provider())) {
				problems.add(where + ".provider: no provider '" + d.provider() + "' is configured");
			}
		}
		if (d.model() == null || d.model().isBlank()) {
			problems.add(where + ".model: required (the model name sent upstream)");
		}
		if (d.maxRetries() < 0) {
			problems.add(where + ".max-retries: must not be negative");
		}
		TokenPrice price = null;
		FulcrumProperties.Price p = d.price();
		BigDecimal cached = p.cachedInput().signum() < 0 ? p.input() : p.cachedInput();
		try {
			price = new TokenPrice(p.input(), p.output(), cached);
		}
		catch (IllegalArgumentException ex) {
			problems.add(where + ".price: " + ex.getMessage());
		}
		if (problems.size() > before || provider == null || price == null || d.model() == null) {
			return null;
		}
		if (d.maxConcurrency() < 0) {
			problems.add(where + ".max-concurrency: must not be negative");
			return null;
		}
		LatencyPrior expected;
		try {
			expected = new LatencyPrior(d.expected().ttft().toNanos() / 1e9, d.expected().tokensPerSecond());
		}
		catch (IllegalArgumentException ex) {
			problems.add(where + ".expected: needs a positive ttft and tokens-per-second");
			return null;
		}
		DeploymentProfile routing = new DeploymentProfile(id, provider.id(), d.local(), new TokenPrices(
				price.inputPerMillion().doubleValue(), price.outputPerMillion().doubleValue(),
				price.cachedInputPerMillion().doubleValue(), 0), expected, d.maxConcurrency());
		return new Deployment(id, provider, d.model(), price, d.priority(), d.maxRetries(), d.retryBackoff(),
				routing);
	}

	private @Nullable ModelAlias alias(String name, FulcrumProperties.Model m, Map<String, Deployment> deployments,
			Set<String> configuredDeployments, List<String> problems) {
		String where = "fulcrum.models." + name;
		int before = problems.size();
		ModelAlias.ModelType type = null;
		try {
			type = ModelAlias.ModelType.valueOf(m.type().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			problems.add(where + ".type: '" + m.type() + "' is not chat or embeddings");
		}
		if (m.deployments().isEmpty()) {
			problems.add(where + ".deployments: at least one deployment is required");
		}
		List<Deployment> resolved = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (String id : m.deployments()) {
			if (!seen.add(id)) {
				problems.add(where + ".deployments: '" + id + "' is listed twice");
				continue;
			}
			Deployment deployment = deployments.get(id);
			if (deployment == null) {
				if (!configuredDeployments.contains(id)) {
					problems.add(where + ".deployments: no deployment '" + id + "' is configured");
				}
				continue;
			}
			if (type == ModelAlias.ModelType.EMBEDDINGS && !deployment.provider().kind().speaksOpenAi()) {
				problems.add(where + ".deployments: '" + id + "' is on a " + deployment.provider().kind().configName()
						+ " provider, which serves no embeddings");
			}
			resolved.add(deployment);
		}
		if (problems.size() > before || type == null) {
			return null;
		}
		return new ModelAlias(name, type, List.copyOf(resolved));
	}

	private static void positive(String where, long value, List<String> problems) {
		if (value <= 0) {
			problems.add(where + ": must be positive");
		}
	}

}
