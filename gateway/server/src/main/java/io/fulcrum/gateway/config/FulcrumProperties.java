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
		@DefaultValue RateLimit rateLimit, @DefaultValue Simulator simulator, @DefaultValue LocalBackend localBackend,
		@DefaultValue Map<String, Provider> providers, @DefaultValue Map<String, Deployment> deployments,
		@DefaultValue Map<String, Model> models, @DefaultValue Routing routing, @DefaultValue Budgets budgets,
		@DefaultValue Cache cache) {

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
	 * @param spoolDir where usage records are written ahead of the database (one directory per gateway process;
	 * empty: no spool)
	 */
	public record Storage(@DefaultValue("embedded") String type, @DefaultValue("./.fulcrum/db") Path embeddedPath,
			@DefaultValue Postgres postgres, @DefaultValue("./.fulcrum/spool") String spoolDir) {
	}

	public record Postgres(@DefaultValue("127.0.0.1") String host, @DefaultValue("5432") int port,
			@DefaultValue("fulcrum") String database, @DefaultValue("postgres") String user,
			@DefaultValue("") String password, @DefaultValue("public") String schema,
			@DefaultValue("10") int poolSize) {
	}

	/**
	 * @param backend {@code local} (in-process, per replica) or {@code redis} (shared by every replica)
	 * @param requestsPerMinute default per-key request limit (shorthand for {@code keys.default.requests-per-minute});
	 * 0 disables it
	 * @param onRedisFailure {@code open} (per-replica limits of limit / replicas) or {@code closed} (503)
	 * @param replicas gateway replicas sharing the limits, for failing open
	 * @param keys limits by app key id ({@code default} for all others)
	 * @param tenants limits by tenant id ({@code default} for all others)
	 * @param models limits by model alias ({@code default} for all others)
	 * @param deployments limits by deployment id ({@code default} for all others): Fulcrum's own calls stay within
	 * them, falling back to another deployment when one is at its limit
	 * @param batchMaxWait longest a batch request waits in line for a deployment at its limit before falling back
	 */
	public record RateLimit(@DefaultValue("local") String backend, @DefaultValue("0") long requestsPerMinute,
			@DefaultValue("redis://127.0.0.1:6379") String redisUri, @DefaultValue("open") String onRedisFailure,
			@DefaultValue("1") long replicas, @DefaultValue Map<String, Limit> keys,
			@DefaultValue Map<String, Limit> tenants, @DefaultValue Map<String, Limit> models,
			@DefaultValue Map<String, Limit> deployments, @DefaultValue("10s") Duration batchMaxWait) {
	}

	/**
	 * The exact response cache (see docs/caching.md).
	 *
	 * @param enabled whether requests are looked up in and stored to the cache at all
	 * @param store {@code memory} (in this process; the embedded default) or {@code redis} (shared by replicas)
	 * @param ttl how long an entry is served after it was stored
	 * @param maxBytes the in-process store's bound on the bytes its entries hold (Redis: its own {@code maxmemory})
	 * @param maxEntryBytes answers larger than this are not stored (either store)
	 * @param deterministicOnly chat requests are cached only when deterministic (temperature 0 or a seed) or opted
	 * in with {@code x-fulcrum-cache: on}; {@code false} caches every eligible chat request
	 * @param allowTools whether requests with tools may be cached
	 * @param allowImages whether requests with images may be cached
	 * @param redisUri the Redis of the {@code redis} store
	 * @param redisKeyPrefix start of every entry's key in Redis
	 * @param lookupTimeout a Redis lookup slower than this is a miss
	 * @param pricePerHit what a hit costs a tenant (USD), unless {@code tenantPrices} names it
	 * @param tenantPrices per-tenant cache prices (USD per hit) by tenant id
	 * @param semantic the semantic cache, in front of the exact store
	 */
	public record Cache(@DefaultValue("true") boolean enabled, @DefaultValue("memory") String store,
			@DefaultValue("1h") Duration ttl, @DefaultValue("64MB") DataSize maxBytes,
			@DefaultValue("1MB") DataSize maxEntryBytes, @DefaultValue("true") boolean deterministicOnly,
			@DefaultValue("false") boolean allowTools, @DefaultValue("false") boolean allowImages,
			@DefaultValue("redis://127.0.0.1:6379") String redisUri,
			@DefaultValue("fulcrum:cache:") String redisKeyPrefix, @DefaultValue("50ms") Duration lookupTimeout,
			@DefaultValue("0") BigDecimal pricePerHit, @DefaultValue Map<String, BigDecimal> tenantPrices,
			@DefaultValue Semantic semantic) {
	}

	/**
	 * The semantic cache (see docs/caching.md#semantic-cache): chat requests matched by the meaning of their last user
	 * message, embedded by the local backend's model; needs {@code fulcrum.local-backend.enabled}.
	 *
	 * @param enabled whether chat requests are also matched by meaning (off by default)
	 * @param threshold the cosine similarity a semantic hit needs, unless {@code aliasThresholds} names the alias
	 * @param aliasThresholds per model alias thresholds
	 * @param ttl how long a semantic entry is matched after it was stored; {@code null}: {@code fulcrum.cache.ttl}
	 * @param maxEntriesPerPartition most entries in one partition (tenant, alias, request context); the oldest makes
	 * room. Bounds a search's cost: each search scans its partition
	 * @param maxEntries most entries in all; when reached (after dropping expired ones) new entries are not added
	 * @param embedTimeout an embedding slower than this is a miss (and the entry is not indexed)
	 */
	public record Semantic(@DefaultValue("false") boolean enabled, @DefaultValue("0.95") double threshold,
			@DefaultValue Map<String, Double> aliasThresholds, @Nullable Duration ttl,
			@DefaultValue("10000") int maxEntriesPerPartition, @DefaultValue("200000") long maxEntries,
			@DefaultValue("250ms") Duration embedTimeout) {
	}

	/**
	 * How budgets are enforced (the budgets themselves are in the database, set through the admin API). Counters live
	 * where {@code fulcrum.rate-limit.backend} puts rate limits (Redis or in process) and fail open or closed as
	 * {@code fulcrum.rate-limit.on-redis-failure} says.
	 *
	 * @param defaultMaxOutputTokens output tokens reserved for a request that sets no {@code max_tokens}
	 * @param reservationLease how long a reservation holds if its request never settles (a replica crashed)
	 * @param refreshInterval how often each replica re-reads the budgets (admin changes on another replica arrive
	 * within it)
	 * @param redisKeyPrefix start of every budget counter's key in Redis
	 */
	public record Budgets(@DefaultValue("4096") long defaultMaxOutputTokens,
			@DefaultValue("15m") Duration reservationLease, @DefaultValue("10s") Duration refreshInterval,
			@DefaultValue("fulcrum:budget:") String redisKeyPrefix) {
	}

	/** One scope's limits; 0 is unlimited. */
	public record Limit(@DefaultValue("0") long requestsPerMinute, @DefaultValue("0") long tokensPerMinute,
			@DefaultValue("0") long concurrentRequests) {
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
	 * Fulcrum's local backend started in this process (the embedded default serves embeddings with it);
	 * deployments whose provider has {@code base-url: embedded-local-backend} call it. The fields mirror the
	 * standalone server's options (see docs/configuration.md).
	 * @param enabled start it
	 * @param port port for it, 0 for any free one
	 * @param device {@code auto}, {@code cpu} or {@code cuda}
	 * @param cpuThreads threads of the CPU encoder; 0 for one per core
	 * @param window most tokens per input, special tokens included
	 * @param windowPolicy {@code truncate} or {@code reject}
	 * @param generationModel a GGUF file of a Llama-family model to serve text generation with too, or null
	 * @param generationModelId its name in the API; null for the file's name without {@code .gguf}
	 * @param generationModelRequired whether a missing {@code generationModel} file stops startup (true) or only
	 * disables text generation with a warning (false)
	 * @param kvCacheMb memory for the generation engine's KV cache
	 * @param maxRunning most sequences in the generation engine's running batch
	 */
	public record LocalBackend(@DefaultValue("false") boolean enabled, @DefaultValue("0") int port,
			@DefaultValue("auto") String device, @DefaultValue("0") int cpuThreads, @DefaultValue("256") int window,
			@DefaultValue("truncate") String windowPolicy, @DefaultValue("64") int maxBatch,
			@DefaultValue("8192") int maxBatchTokens, @DefaultValue("0ms") Duration maxBatchWait,
			@DefaultValue("4096") int maxQueue, @Nullable String generationModel, @Nullable String generationModelId,
			@DefaultValue("true") boolean generationModelRequired, @DefaultValue("1024") int kvCacheMb,
			@DefaultValue("64") int maxRunning) {
	}

	/**
	 * @param type {@code openai} (any OpenAI-compatible server), {@code anthropic}, or {@code fulcrum-local}
	 * (Fulcrum's local backend: OpenAI's format, load read from its {@code /metrics})
	 * @param apiKeyEnv name of the environment variable holding the provider's secret; never the secret itself
	 * @param metricsUrl a Prometheus endpoint reporting vLLM's load gauges (requests running and waiting, KV-cache
	 * use), polled for the router; for local GPU backends
	 */
	public record Provider(@Nullable String type, @Nullable String baseUrl, @Nullable String apiKeyEnv,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("30s") Duration firstTokenTimeout,
			@DefaultValue("300s") Duration totalTimeout, @DefaultValue("1000") int maxConnections,
			@DefaultValue Map<String, String> headers, @Nullable String metricsUrl) {
	}

	/**
	 * @param provider id of an entry under {@code fulcrum.providers}
	 * @param model the model name sent upstream
	 * @param maxRetries retries on the same deployment for retryable errors before falling back
	 * @param local whether it runs on the team's own hardware (routing constraints such as local-only match it)
	 * @param expected latency the router assumes before live traffic has taught it better
	 * @param maxConcurrency requests it serves at once before queueing (0: unknown); the router predicts queueing
	 * beyond it
	 */
	public record Deployment(@Nullable String provider, @Nullable String model, @DefaultValue Price price,
			@DefaultValue("0") int priority, @DefaultValue("1") int maxRetries,
			@DefaultValue("50ms") Duration retryBackoff, @DefaultValue("false") boolean local,
			@DefaultValue Expected expected, @DefaultValue("0") int maxConcurrency) {
	}

	/**
	 * @param ttft median time to first token
	 * @param tokensPerSecond median decode speed of one request
	 */
	public record Expected(@DefaultValue("1s") Duration ttft, @DefaultValue("50") double tokensPerSecond) {
	}

	/**
	 * @param policies routing policies as YAML text, keyed by model alias (see docs/routing.md); an alias without one
	 * keeps its configured order
	 * @param policyFile a YAML file of policies instead of {@code policies}; re-read when it changes
	 * @param halfLife how fast the router forgets: an observation this old counts half
	 * @param backendPollInterval how often local backends' load is read from their metrics
	 */
	public record Routing(@DefaultValue("") String policies, @Nullable Path policyFile,
			@DefaultValue("60s") Duration halfLife, @DefaultValue("1s") Duration backendPollInterval) {
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
