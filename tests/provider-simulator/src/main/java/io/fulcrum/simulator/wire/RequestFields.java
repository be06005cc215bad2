package io.fulcrum.simulator.wire;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Validating reads of request fields, raising {@link InvalidRequestException} with the field named, as the
 * providers' 400 answers do.
 */
final class RequestFields {

	private RequestFields() {
	}

	static JsonNode requireObject(JsonNode body) {
		if (!body.isObject()) {
			throw new InvalidRequestException("The request body must be a JSON object.", null);
		}
		return body;
	}

	static String requireString(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || !value.isString() || value.asString().isEmpty()) {
			throw new InvalidRequestException("'" + field + "' is a required property and must be a non-empty string.",
					field);
		}
		return value.asString();
	}

	static JsonNode requireNonEmptyArray(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || !value.isArray() || value.isEmpty()) {
			throw new InvalidRequestException("'" + field + "' is a required property and must be a non-empty array.",
					field);
		}
		return value;
	}

	/** A positive integer field, {@code null} when absent or JSON null. */
	static @Nullable Integer optionalPositiveInt(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
			throw new InvalidRequestException("'" + field + "' must be an integer of at least 1.", field);
		}
		return value.asInt();
	}

	static boolean optionalBoolean(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return false;
		}
		if (!value.isBoolean()) {
			throw new InvalidRequestException("'" + field + "' must be a boolean.", field);
		}
		return value.booleanValue();
	}

}
