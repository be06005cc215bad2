package io.fulcrum.gateway.ratelimit;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.gateway.ingress.ApiKeyAuthenticationFilter;
import io.fulcrum.gateway.ingress.GatewayExchangeAttributes;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Applies the per-key request limit to authenticated requests and reports it in OpenAI's
 * {@code x-ratelimit-*-requests} headers; a refusal is a 429 with {@code Retry-After}.
 */
public final class RateLimitFilter implements GlobalFilter, Ordered {

	/** Right after authentication: the key is known, nothing costly has happened yet. */
	public static final int ORDER = ApiKeyAuthenticationFilter.ORDER + 10;

	private final RequestRateLimiter limiter;

	private final long requestsPerMinute;

	public RateLimitFilter(RequestRateLimiter limiter, long requestsPerMinute) {
		this.limiter = limiter;
		this.requestsPerMinute = requestsPerMinute;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Caller caller = GatewayExchangeAttributes.caller(exchange);
		if (caller == null || this.requestsPerMinute <= 0) {
			return chain.filter(exchange);
		}
		return this.limiter.acquire(caller.keyId(), this.requestsPerMinute).flatMap(decision -> {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set("x-ratelimit-limit-requests", Long.toString(decision.limit()));
			headers.set("x-ratelimit-remaining-requests", Long.toString(decision.remaining()));
			headers.set("x-ratelimit-reset-requests", decision.reset().toMillis() + "ms");
			if (!decision.allowed()) {
				return Mono.error(new GatewayException(ErrorKind.RATE_LIMITED,
						"Rate limit reached for this API key: " + decision.limit()
								+ " requests per minute. Retry after the window resets.",
						null, "rate_limit_exceeded", decision.reset()));
			}
			return chain.filter(exchange);
		});
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
