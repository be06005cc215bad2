package io.fulcrum.gateway.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code fulcrum.*}, as bound from configuration. Converted once at start-up by
 * {@link CatalogFactory}; nothing on the request path reads these records.
 */
@ConfigurationProperties("fulcrum")
public record FulcrumProperties(@DefaultValue Server server, @DefaultValue Storage storage,
		@DefaultValue RateLimit rateLimit, @DefaultValue Simulator simulator,
		@DefaultValue Map<String, Provider> providers, @DefaultValue Map<String, Deployment> deployments,
		@DefaultValue Map<String, Model> models) {

	/**
	 * @param maxBodySize requests with a larger body are refused with 413
	 * @param adminToken bearer token of the admin API; when blank one is generated and logged at start-up
	 * @param bootstrapApiKey app key of the demo tenant created on first start; generated and logged when blank
	 * @param keyCacheTtl how long a resolved app key is trusted before it is looked up again
	 */
	public record Server(@DefaultValue("4MB") DataSize maxBodySize, @DefaultValue("") String adminToken,
			@DefaultValue("") String bootstrapApiKey, @DefaultValue("true") boolean bootstrapDemoTenant,
			@DefaultValue("30s") Duration keyCacheTtl) {
	}

	/**
	 * @param type {@code embedded} (H2 files under {@code embeddedPath}) or {@code postgres}
	 */
	public record Storage(@DefaultValue("embedded") String type, @DefaultValue("./.fulcrum/db") Path embeddedPath,
			@DefaultValue Postgres postgres) {
	}

	public record Postgres(@DefaultValue("127.0.0.1") String host, @DefaultValue("5432") int port,
			@DefaultValue("fulcrum") String database, @DefaultValue("postgres") String user,
			@DefaultValue("") String password, @DefaultValue("public") String schema,
			@DefaultValue("10") int poolSize) {
	}

	/**
	 * @param backend {@code local} (in-process, per replica) or {@code redis} (shared by every replica)
	 * @param requestsPerMinute default per-key request limit; 0 disables it
	 */
	public record RateLimit(@DefaultValue("local") String backend, @DefaultValue("0") long requestsPerMinute,
			@DefaultValue("redis://127.0.0.1:6379") String redisUri) {
	}

	/**
	 * @param enabled start the provider simulator in-process; deployments whose provider has
	 * {@code base-url: embedded-simulator} call it
	 * @param port port for it, 0 for any free one
	 */
	public record Simulator(@DefaultValue("false") boolean enabled, @DefaultValue("0") int port,
			@DefaultValue("0") long ttftMillis, @DefaultValue("0") double tokensPerSecond) {
	}

	/**
	 * @param type {@code openai} (any OpenAI-compatible server) or {@code anthropic}
	 * @param apiKeyEnv name of the environment variable holding the provider's secret; never the secret itself
	 */
	public record Provider(@Nullable String type, @Nullable String baseUrl, @Nullable String apiKeyEnv,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("30s") Duration firstTokenTimeout,
			@DefaultValue("300s") Duration totalTimeout, @DefaultValue("1000") int maxConnections,
			@DefaultValue Map<String, String> headers) {
	}

	/**
	 * @param provider id of an entry under {@code fulcrum.providers}
	 * @param model the model name sent upstream
	 * @param maxRetries retries on the same deployment for retryable errors before falling back
	 */
	public record Deployment(@Nullable String provider, @Nullable String model, @DefaultValue Price price,
			@DefaultValue("0") int priority, @DefaultValue("1") int maxRetries,
			@DefaultValue("50ms") Duration retryBackoff) {
	}

	/** Prices in US dollars per million tokens. */
	public record Price(@DefaultValue("0") BigDecimal input, @DefaultValue("0") BigDecimal output,
			@DefaultValue("-1") BigDecimal cachedInput) {
	}

	/**
	 * @param type {@code chat} or {@code embeddings}
	 * @param deployments ids of the deployments that serve this alias, in fallback order
	 */
	public record Model(@DefaultValue("chat") String type, @DefaultValue List<String> deployments) {
	}

}
