package io.fulcrum.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.gateway.ratelimit.LimitBook;
import io.fulcrum.gateway.ratelimit.Limits;
import io.fulcrum.gateway.ratelimit.LocalQuotaStore;
import io.fulcrum.gateway.ratelimit.QuotaStore;
import io.fulcrum.gateway.ratelimit.RateLimiter;
import io.fulcrum.gateway.ratelimit.RedisQuotaStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rate limiter: buckets in process by default, in Redis with {@code fulcrum.rate-limit.backend=redis}. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	QuotaStore quotaStore(FulcrumProperties properties, MeterRegistry meters) {
		FulcrumProperties.RateLimit config = properties.rateLimit();
		List<String> problems = new ArrayList<>();
		RedisQuotaStore.FailureMode mode = switch (config.onRedisFailure()) {
			case "open" -> RedisQuotaStore.FailureMode.OPEN;
			case "closed" -> RedisQuotaStore.FailureMode.CLOSED;
			default -> {
				problems.add("fulcrum.rate-limit.on-redis-failure: '" + config.onRedisFailure()
						+ "' is not open or closed");
				yield RedisQuotaStore.FailureMode.OPEN;
			}
		};
		if (config.replicas() < 1) {
			problems.add("fulcrum.rate-limit.replicas: must be at least 1");
		}
		if (!config.backend().equals("local") && !config.backend().equals("redis")) {
			problems.add("fulcrum.rate-limit.backend: '" + config.backend() + "' is not local or redis");
		}
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		return config.backend().equals("redis")
				? new RedisQuotaStore(config.redisUri(), mode, config.replicas(), meters) : new LocalQuotaStore();
	}

	@Bean
	RateLimiter rateLimiter(QuotaStore store, FulcrumProperties properties) {
		return new RateLimiter(store, limitBook(properties.rateLimit()));
	}

	/** The configured limits; {@code requests-per-minute} is the default key's request limit unless it sets one. */
	static LimitBook limitBook(FulcrumProperties.RateLimit config) {
		Map<String, Limits> keys = limits("keys", config.keys());
		if (config.requestsPerMinute() > 0) {
			Limits defaults = keys.getOrDefault(LimitBook.DEFAULT, Limits.NONE);
			if (defaults.requestsPerMinute() == 0) {
				keys.put(LimitBook.DEFAULT, new Limits(config.requestsPerMinute(), defaults.tokensPerMinute(),
						defaults.concurrentRequests()));
			}
		}
		return new LimitBook(keys, limits("tenants", config.tenants()), limits("models", config.models()),
				limits("deployments", config.deployments()));
	}

	private static Map<String, Limits> limits(String section, Map<String, FulcrumProperties.Limit> configured) {
		Map<String, Limits> out = new HashMap<>();
		List<String> problems = new ArrayList<>();
		configured.forEach((id, limit) -> {
			try {
				out.put(id, new Limits(limit.requestsPerMinute(), limit.tokensPerMinute(), limit.concurrentRequests()));
			}
			catch (IllegalArgumentException ex) {
				problems.add("fulcrum.rate-limit." + section + "." + id + ": " + ex.getMessage());
			}
		});
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		return out;
	}

}
