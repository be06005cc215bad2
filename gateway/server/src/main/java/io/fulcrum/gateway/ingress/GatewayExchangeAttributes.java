package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;

/**
 * Request-scoped state kept in exchange attributes: the names, qualified so they cannot clash with Spring's, and
 * typed accessors, so no code uses an ad hoc string key.
 */
public final class GatewayExchangeAttributes {

	public static final String REQUEST_ID_ATTR = qualify("requestId");

	public static final String CALLER_ATTR = qualify("caller");

	public static final String INFERENCE_REQUEST_ATTR = qualify("inferenceRequest");

	/** The response header carrying the request id. */
	public static final String REQUEST_ID_HEADER = "x-request-id";

	/** The response header naming the deployment that served the request. */
	public static final String DEPLOYMENT_HEADER = "x-fulcrum-deployment";

	/** Response header explaining the routing decision: the choice and each candidate's prediction. */
	public static final String ROUTE_HEADER = "x-fulcrum-route";

	private GatewayExchangeAttributes() {
	}

	private static String qualify(String name) {
		return GatewayExchangeAttributes.class.getName() + "." + name;
	}

	public static String requestId(ServerWebExchange exchange) {
		String id = exchange.getAttribute(REQUEST_ID_ATTR);
		return id != null ? id : "unknown";
	}

	public static @Nullable Caller caller(ServerWebExchange exchange) {
		return exchange.getAttribute(CALLER_ATTR);
	}

	public static @Nullable InferenceRequest inferenceRequest(ServerWebExchange exchange) {
		return exchange.getAttribute(INFERENCE_REQUEST_ATTR);
	}

}
