package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.protocol.Json;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/** OpenAI's {@code GET /v1/models} and {@code GET /v1/models/{id}}: the aliases the caller's key may use. */
public final class ModelsEndpoint implements InferenceEndpoint {

	private static final String PREFIX = "/v1/models";

	private final ModelAccess models;

	/** Aliases exist since start-up; clients only compare the value, so one timestamp serves all. */
	private final long created = System.currentTimeMillis() / 1000;

	public ModelsEndpoint(ModelAccess models) {
		this.models = models;
	}

	@Override
	public String name() {
		return "models";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Caller caller) {
		if (exchange.getRequest().getMethod() != HttpMethod.GET) {
			return Mono.error(new GatewayException(ErrorKind.METHOD_NOT_ALLOWED, "Use GET to list models.", null,
					"method_not_allowed", null));
		}
		String path = exchange.getRequest().getPath().value();
		ObjectNode body;
		if (path.length() > PREFIX.length() + 1) {
			String id = path.substring(PREFIX.length() + 1);
			ModelAlias alias = this.models.catalog().alias(id);
			if (alias == null || !caller.mayUse(id)) {
				return Mono.error(new GatewayException(ErrorKind.NOT_FOUND,
						"The model '" + id + "' does not exist or you do not have access to it.", "model",
						"model_not_found", null));
			}
			body = model(alias);
		}
		else {
			body = Json.object();
			body.put("object", "list");
			ArrayNode data = body.putArray("data");
			for (ModelAlias alias : this.models.catalog().aliases()) {
				if (caller.mayUse(alias.name())) {
					data.add(model(alias));
				}
			}
		}
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(Json.bytes(body))));
	}

	private ObjectNode model(ModelAlias alias) {
		ObjectNode model = Json.object();
		model.put("id", alias.name());
		model.put("object", "model");
		model.put("created", this.created);
		model.put("owned_by", "fulcrum");
		return model;
	}

}
