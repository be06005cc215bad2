package io.fulcrum.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.gateway.cache.CacheHitMeter;
import io.fulcrum.gateway.cache.CachePolicy;
import io.fulcrum.gateway.cache.InMemoryResponseCache;
import io.fulcrum.gateway.cache.RedisResponseCache;
import io.fulcrum.gateway.cache.ResponseCache;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.cache.LocalModelEmbedder;
import io.fulcrum.gateway.cache.SemanticIndex;
import io.fulcrum.gateway.cache.SemanticResponseCache;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The response cache: in process by default, in Redis with {@code fulcrum.cache.store=redis}. */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	private static final Logger log = LoggerFactory.getLogger(CacheConfiguration.class);

	@Bean
	ResponseCache responseCache(FulcrumProperties properties, ObjectProvider<LocalBackendServer> localBackend) {
		FulcrumProperties.Cache config = properties.cache();
		List<String> problems = new ArrayList<>();
		if (!config.store().equals("memory") && !config.store().equals("redis")) {
			problems.add("fulcrum.cache.store: '" + config.store() + "' is not memory or redis");
		}
		if (config.ttl().isNegative() || config.ttl().isZero()) {
			problems.add("fulcrum.cache.ttl: must be positive");
		}
		if (config.pricePerHit().signum() < 0) {
			problems.add("fulcrum.cache.price-per-hit: must not be negative");
		}
		FulcrumProperties.Semantic semantic = config.semantic();
		LocalBackendServer local = semantic.enabled() ? localBackend.getIfAvailable() : null;
		if (semantic.enabled()) {
			problems.addAll(semanticProblems(semantic, local));
		}
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		ResponseCache exact = config.store().equals("redis")
				? new RedisResponseCache(config.redisUri(), config.redisKeyPrefix(), config.ttl(),
						config.maxEntryBytes().toBytes(), config.lookupTimeout())
				: new InMemoryResponseCache(config.ttl(), config.maxBytes().toBytes(),
						config.maxEntryBytes().toBytes());
		if (local == null) {
			return exact;
		}
		Duration ttl = semantic.ttl() != null ? semantic.ttl() : config.ttl();
		SemanticIndex index = new SemanticIndex(local.model().dimensions(), ttl, semantic.maxEntriesPerPartition(),
				semantic.maxEntries());
		log.info("Semantic cache on: {} embeddings of the last user message, threshold {} (per alias: {}), TTL {}",
				local.model().id(), semantic.threshold(), semantic.aliasThresholds(), ttl);
		return new SemanticResponseCache(exact, index, new LocalModelEmbedder(local.model(), semantic.embedTimeout()),
				semantic.threshold(), semantic.aliasThresholds());
	}

	/** Enabled explicitly, the semantic cache must work: no local backend (its embedding model) fails startup. */
	private static List<String> semanticProblems(FulcrumProperties.Semantic semantic,
			@Nullable LocalBackendServer local) {
		List<String> problems = new ArrayList<>();
		if (local == null) {
			problems.add("fulcrum.cache.semantic.enabled: needs the local backend's embedding model"
					+ " (fulcrum.local-backend.enabled: true)");
		}
		if (!(semantic.threshold() > 0 && semantic.threshold() <= 1)) {
			problems.add("fulcrum.cache.semantic.threshold: must be in (0, 1]");
		}
		semantic.aliasThresholds().forEach((alias, value) -> {
			if (value == null || !(value > 0 && value <= 1)) {
				problems.add("fulcrum.cache.semantic.alias-thresholds." + alias + ": must be in (0, 1]");
			}
		});
		if (semantic.ttl() != null && (semantic.ttl().isNegative() || semantic.ttl().isZero())) {
			problems.add("fulcrum.cache.semantic.ttl: must be positive");
		}
		if (semantic.maxEntriesPerPartition() < 1 || semantic.maxEntries() < 1) {
			problems.add("fulcrum.cache.semantic.max-entries and max-entries-per-partition: must be positive");
		}
		return problems;
	}

	@Bean
	ResponseCaching responseCaching(FulcrumProperties properties, ResponseCache cache, UsageLedger ledger,
			LivePricing pricing, DeploymentCatalog catalog, MeterRegistry meters) {
		FulcrumProperties.Cache config = properties.cache();
		if (cache instanceof SemanticResponseCache semantic) {
			Gauge.builder("fulcrum.cache.semantic.entries", semantic.index(), SemanticIndex::entries)
				.description("entries in the semantic cache's index on this replica")
				.register(meters);
		}
		return new ResponseCaching(
				new CachePolicy(config.enabled(), config.deterministicOnly(), config.allowTools(), config.allowImages()),
				cache, new CacheHitMeter(ledger, pricing, catalog, config.pricePerHit(), config.tenantPrices()),
				meters);
	}

}
