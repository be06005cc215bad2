package io.fulcrum.gateway.config;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.gateway.cache.CacheHitMeter;
import io.fulcrum.gateway.cache.CachePolicy;
import io.fulcrum.gateway.cache.InMemoryResponseCache;
import io.fulcrum.gateway.cache.RedisResponseCache;
import io.fulcrum.gateway.cache.ResponseCache;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The response cache: in process by default, in Redis with {@code fulcrum.cache.store=redis}. */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	ResponseCache responseCache(FulcrumProperties properties) {
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
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		if (config.store().equals("redis")) {
			return new RedisResponseCache(config.redisUri(), config.redisKeyPrefix(), config.ttl(),
					config.maxEntryBytes().toBytes(), config.lookupTimeout());
		}
		return new InMemoryResponseCache(config.ttl(), config.maxBytes().toBytes(), config.maxEntryBytes().toBytes());
	}

	@Bean
	ResponseCaching responseCaching(FulcrumProperties properties, ResponseCache cache, UsageLedger ledger,
			LivePricing pricing, DeploymentCatalog catalog, MeterRegistry meters) {
		FulcrumProperties.Cache config = properties.cache();
		return new ResponseCaching(
				new CachePolicy(config.enabled(), config.deterministicOnly(), config.allowTools(), config.allowImages()),
				cache, new CacheHitMeter(ledger, pricing, catalog, config.pricePerHit(), config.tenantPrices()),
				meters);
	}

}
