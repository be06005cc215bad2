package io.fulcrum.backend.server;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The checks every request body starts with: a JSON object naming a model. */
final class RequestBody {

	private RequestBody() {
	}

	/** The body as a JSON object; 400 {@code invalid_json} otherwise. */
	static JsonNode object(JsonMapper json, byte[] body) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiError.invalid(null, "invalid_json", "The request body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw ApiError.invalid(null, "invalid_json", "The request body must be a JSON object.");
		}
		return root;
	}

	/** The required {@code model} string; 400 {@code missing_model} otherwise. */
	static String model(JsonNode root) {
		JsonNode model = root.get("model");
		if (model == null || !model.isString() || model.asString().isBlank()) {
			throw ApiError.invalid("model", "missing_model", "'model' is required and must be a string.");
		}
		return model.asString();
	}

}
