package io.fulcrum.gateway.ingress;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * The terminal filter of {@code fulcrum://} routes, as SCG's own routing filters own {@code http://} and
 * {@code lb://}: it is the only filter that hands requests to providers. The route URI's host picks the
 * {@link InferenceEndpoint}.
 */
public final class ProviderDispatchFilter implements GlobalFilter, Ordered {

	/** The URI scheme of routes this filter serves. */
	public static final String SCHEME = "fulcrum";

	/** After {@link RouteToRequestUrlFilter} has set the request URL, where SCG puts its load balancer filter. */
	public static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 150;

	private final Map<String, InferenceEndpoint> endpoints;

	public ProviderDispatchFilter(List<InferenceEndpoint> endpoints) {
		this.endpoints = endpoints.stream().collect(Collectors.toUnmodifiableMap(InferenceEndpoint::name, Function.identity()));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !SCHEME.equals(url.getScheme()) || ServerWebExchangeUtils.isAlreadyRouted(exchange)) {
			return chain.filter(exchange);
		}
		ServerWebExchangeUtils.setAlreadyRouted(exchange);
		InferenceEndpoint endpoint = this.endpoints.get(url.getHost());
		Caller caller = GatewayExchangeAttributes.caller(exchange);
		if (endpoint == null || caller == null) {
			// A route to an endpoint that does not exist is a configuration mistake, not the client's.
			return Mono.error(new GatewayException(ErrorKind.INTERNAL,
					"The gateway has no endpoint '" + url.getHost() + "' for this route."));
		}
		return endpoint.handle(exchange, caller);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
