package io.fulcrum.admin.api;

import java.util.LinkedHashSet;
import java.util.Set;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads and validates request bodies. Parsing by hand, from bytes, lets every mistake become a 400 that names the
 * offending field, where a codec would answer with its own error format.
 */
final class RequestBodies {

	/** The database columns hold 255 characters. */
	private static final int MAX_TEXT_LENGTH = 255;

	private RequestBodies() {
	}

	/** {@code {"name": "..."}}. */
	static Mono<CreateTenant> createTenant(ServerRequest request) {
		return object(request).map((body) -> new CreateTenant(name(body)));
	}

	/** {@code {"name": "...", "models": ["..."]}}, {@code models} optional. */
	static Mono<CreateKey> createKey(ServerRequest request) {
		return object(request).map((body) -> new CreateKey(name(body), models(body)));
	}

	static Mono<JsonNode> object(ServerRequest request) {
		return request.bodyToMono(byte[].class)
			.onErrorMap(DataBufferLimitException.class,
					(ex) -> ApiProblem.invalidRequest("The request body is too large", null))
			.defaultIfEmpty(new byte[0])
			.map((bytes) -> {
				JsonNode body;
				try {
					body = JsonResponses.MAPPER.readTree(bytes);
				}
				catch (JacksonException ex) {
					throw ApiProblem.invalidRequest("The request body is not valid JSON", null);
				}
				if (body == null || !body.isObject()) {
					throw ApiProblem.invalidRequest("The request body must be a JSON object", null);
				}
				return body;
			});
	}

	private static String name(JsonNode body) {
		JsonNode name = body.get("name");
		if (name == null || !name.isString() || name.asString().isBlank()) {
			throw ApiProblem.invalidRequest("'name' is required and must be a non-blank string", "name");
		}
		String trimmed = name.asString().strip();
		if (trimmed.length() > MAX_TEXT_LENGTH) {
			throw ApiProblem.invalidRequest("'name' must be at most " + MAX_TEXT_LENGTH + " characters", "name");
		}
		return trimmed;
	}

	/** Absent, null or empty means every model. Aliases are stored comma-joined, so a comma cannot be in one. */
	private static Set<String> models(JsonNode body) {
		JsonNode models = body.get("models");
		if (models == null || models.isNull()) {
			return Set.of();
		}
		if (!models.isArray()) {
			throw ApiProblem.invalidRequest("'models' must be an array of model aliases", "models");
		}
		Set<String> aliases = new LinkedHashSet<>();
		for (JsonNode model : models) {
			if (!model.isString() || model.asString().isBlank() || model.asString().contains(",")
					|| model.asString().length() > MAX_TEXT_LENGTH) {
				throw ApiProblem.invalidRequest("each entry of 'models' must be a non-blank model alias without commas",
						"models");
			}
			aliases.add(model.asString().strip());
		}
		return aliases;
	}

	/** The body of {@code POST /tenants}. */
	record CreateTenant(String name) {

	}

	/** The body of {@code POST /tenants/{id}/keys}. */
	record CreateKey(String name, Set<String> models) {

	}

}
