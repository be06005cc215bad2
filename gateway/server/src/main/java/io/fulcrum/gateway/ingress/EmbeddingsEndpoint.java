package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.error.GatewayException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.ServerWebExchange;

/** OpenAI's {@code POST /v1/embeddings}. */
public final class EmbeddingsEndpoint implements InferenceEndpoint {

	private final JsonBodyReader bodies;

	private final ModelAccess models;

	private final InferenceRequests requests;

	private final InferenceDispatcher dispatcher;

	public EmbeddingsEndpoint(EndpointServices services) {
		this.bodies = services.bodies();
		this.models = services.models();
		this.requests = services.requests();
		this.dispatcher = services.dispatcher();
	}

	@Override
	public String name() {
		return "embeddings";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Caller caller) {
		return this.bodies.read(exchange).flatMap(body -> {
			String model = ChatRequestValidator.requiredString(body, "model");
			validateInput(body);
			ModelAlias alias = this.models.resolve(caller, model, ModelAlias.ModelType.EMBEDDINGS);
			InferenceRequest request = this.requests.embeddings(exchange, caller, alias, body);
			return this.dispatcher.embed(request).flatMap(result -> ResponseWriter.json(exchange, request, result));
		});
	}

	private static void validateInput(ObjectNode body) {
		JsonNode input = body.get("input");
		if (input == null || input.isNull()) {
			throw GatewayException.invalid("'input' is required.", "input");
		}
		if (input.isString()) {
			return;
		}
		if (!input.isArray() || input.isEmpty()) {
			throw GatewayException.invalid(
					"'input' must be a string, a non-empty array of strings, or an array of token arrays.", "input");
		}
		for (int i = 0; i < input.size(); i++) {
			JsonNode item = input.get(i);
			if (!item.isString() && !item.isIntegralNumber() && !item.isArray()) {
				throw GatewayException.invalid("'input[" + i + "]' must be a string or tokens.", "input[" + i + "]");
			}
		}
	}

}
