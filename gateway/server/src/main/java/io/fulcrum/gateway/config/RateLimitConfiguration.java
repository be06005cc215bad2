package io.fulcrum.gateway.config;

import io.fulcrum.gateway.ratelimit.LocalRequestRateLimiter;
import io.fulcrum.gateway.ratelimit.RateLimitFilter;
import io.fulcrum.gateway.ratelimit.RedisRequestRateLimiter;
import io.fulcrum.gateway.ratelimit.RequestRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the request limiter: in-process by default, Redis with {@code fulcrum.rate-limit.backend=redis}. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	RequestRateLimiter requestRateLimiter(FulcrumProperties properties, MeterRegistry meters) {
		FulcrumProperties.RateLimit config = properties.rateLimit();
		return switch (config.backend()) {
			case "local" -> new LocalRequestRateLimiter();
			case "redis" -> new RedisRequestRateLimiter(config.redisUri(), meters);
			default -> throw new InvalidConfigurationException(java.util.List
				.of("fulcrum.rate-limit.backend: '" + config.backend() + "' is not local or redis"));
		};
	}

	@Bean
	RateLimitFilter rateLimitFilter(RequestRateLimiter limiter, FulcrumProperties properties) {
		return new RateLimitFilter(limiter, properties.rateLimit().requestsPerMinute());
	}

}
