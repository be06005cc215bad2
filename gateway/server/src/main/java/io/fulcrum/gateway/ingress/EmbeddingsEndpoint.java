package io.fulcrum.gateway.ingress;

import java.util.Optional;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CacheTicket;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.protocol.Json;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.ServerWebExchange;

/** OpenAI's {@code POST /v1/embeddings}; embeddings are deterministic, so the response cache serves repeats. */
public final class EmbeddingsEndpoint implements InferenceEndpoint {

	private final JsonBodyReader bodies;

	private final ModelAccess models;

	private final InferenceRequests requests;

	private final InferenceDispatcher dispatcher;

	private final ResponseCaching caching;

	public EmbeddingsEndpoint(EndpointServices services) {
		this.bodies = services.bodies();
		this.models = services.models();
		this.requests = services.requests();
		this.dispatcher = services.dispatcher();
		this.caching = services.caching();
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
			CacheTicket ticket = CacheHeaders.open(this.caching, exchange, request, CacheEndpoint.EMBEDDINGS);
			return this.caching.lookup(ticket).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(hit -> {
				if (hit.isPresent()) {
					CacheHeaders.writeHit(exchange, hit.get());
					this.caching.hit(request, hit.get());
					return ResponseWriter.json(exchange, request, hit.get().body());
				}
				CacheHeaders.write(exchange, ticket.notHit());
				return this.dispatcher.embed(request).flatMap(result -> {
					byte[] bytes = Json.bytes(result);
					this.caching.store(ticket, request, bytes, result.get("usage"));
					return ResponseWriter.json(exchange, request, bytes);
				});
			});
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
