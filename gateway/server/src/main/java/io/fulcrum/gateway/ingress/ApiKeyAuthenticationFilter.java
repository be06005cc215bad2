package io.fulcrum.gateway.ingress;

import java.net.URI;

import io.fulcrum.gateway.auth.ApiKeyAuthenticator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Authenticates requests on {@code fulcrum://} routes with their app key ({@code Authorization: Bearer fk-…}, or
 * {@code x-api-key} as Anthropic's SDKs send it) and stores the {@link io.fulcrum.gateway.auth.Caller}.
 */
public final class ApiKeyAuthenticationFilter implements GlobalFilter, Ordered {

	/** Runs before everything that needs to know the caller. */
	public static final int ORDER = -1000;

	private final ApiKeyAuthenticator authenticator;

	public ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || !ProviderDispatchFilter.SCHEME.equals(route.getUri().getScheme())) {
			return chain.filter(exchange);
		}
		return this.authenticator.authenticate(presentedKey(exchange.getRequest().getHeaders()))
			.flatMap(caller -> {
				exchange.getAttributes().put(GatewayExchangeAttributes.CALLER_ATTR, caller);
				return chain.filter(exchange);
			});
	}

	static @Nullable String presentedKey(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return authorization.substring(7).trim();
		}
		return headers.getFirst("x-api-key");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
