package io.fulcrum.backend.server;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A parsed and checked {@code POST /v1/embeddings} body.
 *
 * @param model the requested model
 * @param inputs the texts, in order
 * @param base64 whether {@code encoding_format} is {@code base64}
 */
record EmbeddingsRequest(String model, List<String> inputs, boolean base64) {

	/** OpenAI's limit on inputs per request. */
	static final int MAX_INPUTS = 2048;

	static EmbeddingsRequest parse(JsonMapper json, byte[] body, int dimensions) {
		JsonNode root = RequestBody.object(json, body);
		String model = RequestBody.model(root);
		List<String> inputs = inputs(root.get("input"));
		boolean base64 = false;
		JsonNode format = root.get("encoding_format");
		if (format != null && !format.isNull()) {
			String f = format.isString() ? format.asString() : "";
			if (f.equals("base64")) {
				base64 = true;
			}
			else if (!f.equals("float")) {
				throw ApiError.invalid("encoding_format", "invalid_value",
						"'encoding_format' must be 'float' or 'base64', was " + format + ".");
			}
		}
		JsonNode dims = root.get("dimensions");
		if (dims != null && !dims.isNull() && !(dims.canConvertToInt() && dims.asInt() == dimensions)) {
			throw ApiError.invalid("dimensions", "invalid_value", "This model's embeddings have " + dimensions
					+ " dimensions and cannot be shortened; 'dimensions' was " + dims + ".");
		}
		return new EmbeddingsRequest(model, inputs, base64);
	}

	private static List<String> inputs(JsonNode input) {
		if (input == null || input.isNull()) {
			throw ApiError.invalid("input", "missing_input", "'input' is required: a string or an array of strings.");
		}
		if (input.isString()) {
			return List.of(input.asString());
		}
		if (!input.isArray()) {
			throw ApiError.invalid("input", "invalid_type", "'input' must be a string or an array of strings.");
		}
		if (input.isEmpty()) {
			throw ApiError.invalid("input", "invalid_value", "'input' must not be an empty array.");
		}
		if (input.size() > MAX_INPUTS) {
			throw ApiError.invalid("input", "too_many_inputs",
					"'input' has " + input.size() + " items; at most " + MAX_INPUTS + " are allowed per request.");
		}
		List<String> texts = new ArrayList<>(input.size());
		for (int i = 0; i < input.size(); i++) {
			JsonNode item = input.get(i);
			if (!item.isString()) {
				throw ApiError.invalid("input", "invalid_type", "'input[" + i + "]' is " + item.getNodeType()
						.toString()
						.toLowerCase(java.util.Locale.ROOT)
						+ "; this model takes text, not token ids (its tokenizer is not OpenAI's).");
			}
			texts.add(item.asString());
		}
		return texts;
	}

}
