package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.metering.TokenCounter;
import io.fulcrum.gateway.routing.RoutingHeaders;
import io.fulcrum.gateway.routing.RoutingHints;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.ServerWebExchange;

/** Builds the {@link InferenceRequest} of an exchange and keeps it in the exchange for later stages. */
public final class InferenceRequests {

	private final TokenCounter tokens;

	private final RoutingHeaders routing;

	public InferenceRequests(TokenCounter tokens, RoutingHeaders routing) {
		this.tokens = tokens;
		this.routing = routing;
	}

	public InferenceRequest chat(ServerWebExchange exchange, Caller caller, ModelAlias alias, ObjectNode body,
			boolean stream) {
		return remember(exchange, new InferenceRequest(GatewayExchangeAttributes.requestId(exchange),
				caller.tenantId(), caller.keyId(), alias, stream, body, this.tokens::countChatPrompt,
				hints(exchange, caller, alias, body)));
	}

	public InferenceRequest embeddings(ServerWebExchange exchange, Caller caller, ModelAlias alias, ObjectNode body) {
		return remember(exchange, new InferenceRequest(GatewayExchangeAttributes.requestId(exchange),
				caller.tenantId(), caller.keyId(), alias, false, body,
				request -> this.tokens.countEmbeddingInput(request.path("input")),
				hints(exchange, caller, alias, body)));
	}

	private RoutingHints hints(ServerWebExchange exchange, Caller caller, ModelAlias alias, ObjectNode body) {
		return this.routing.read(exchange.getRequest().getHeaders(), body, alias.name(), caller.tenantId(),
				caller.keyId());
	}

	private static InferenceRequest remember(ServerWebExchange exchange, InferenceRequest request) {
		exchange.getAttributes().put(GatewayExchangeAttributes.INFERENCE_REQUEST_ATTR, request);
		return request;
	}

}
