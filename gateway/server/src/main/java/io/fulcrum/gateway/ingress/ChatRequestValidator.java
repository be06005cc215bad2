package io.fulcrum.gateway.ingress;

import java.util.Set;

import io.fulcrum.gateway.error.GatewayException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the fields of a chat completion request that the gateway relies on, naming the offending field in the
 * error. Fields it does not interpret are left for the provider to judge.
 */
public final class ChatRequestValidator {

	private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

	private ChatRequestValidator() {
	}

	/** @return the requested model name */
	public static String validate(ObjectNode request) {
		String model = requiredString(request, "model");
		JsonNode messages = request.get("messages");
		if (messages == null || !messages.isArray()) {
			throw GatewayException.invalid("'messages' is required and must be an array of messages.", "messages");
		}
		if (messages.isEmpty()) {
			throw GatewayException.invalid("'messages' must contain at least one message.", "messages");
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String where = "messages[" + i + "]";
			if (!message.isObject()) {
				throw GatewayException.invalid("'" + where + "' must be an object.", where);
			}
			JsonNode role = message.get("role");
			if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
				throw GatewayException.invalid("'" + where + ".role' must be one of " + ROLES + ".", where + ".role");
			}
			JsonNode content = message.get("content");
			if (content != null && !content.isString() && !content.isArray() && !content.isNull()) {
				throw GatewayException.invalid("'" + where + ".content' must be a string or an array of parts.",
						where + ".content");
			}
		}
		optionalBoolean(request, "stream");
		positiveInt(request, "max_tokens");
		positiveInt(request, "max_completion_tokens");
		positiveInt(request, "n");
		range(request, "temperature", 0, 2);
		range(request, "top_p", 0, 1);
		JsonNode streamOptions = request.get("stream_options");
		if (streamOptions != null && !streamOptions.isNull()) {
			if (!streamOptions.isObject()) {
				throw GatewayException.invalid("'stream_options' must be an object.", "stream_options");
			}
			if (!request.path("stream").asBoolean(false)) {
				throw GatewayException.invalid("'stream_options' is only allowed when 'stream' is true.",
						"stream_options");
			}
		}
		return model;
	}

	static String requiredString(ObjectNode request, String field) {
		JsonNode value = request.get(field);
		if (value == null || value.isNull()) {
			throw GatewayException.invalid("'" + field + "' is required.", field);
		}
		if (!value.isString() || value.asString().isBlank()) {
			throw GatewayException.invalid("'" + field + "' must be a non-empty string.", field);
		}
		return value.asString();
	}

	private static void optionalBoolean(ObjectNode request, String field) {
		JsonNode value = request.get(field);
		if (value != null && !value.isNull() && !value.isBoolean()) {
			throw GatewayException.invalid("'" + field + "' must be a boolean.", field);
		}
	}

	private static void positiveInt(ObjectNode request, String field) {
		JsonNode value = request.get(field);
		if (value != null && !value.isNull() && (!value.isIntegralNumber() || value.asLong() < 1)) {
			throw GatewayException.invalid("'" + field + "' must be a positive integer.", field);
		}
	}

	private static void range(ObjectNode request, String field, double min, double max) {
		JsonNode value = request.get(field);
		if (value != null && !value.isNull()
				&& (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
			throw GatewayException.invalid("'" + field + "' must be a number from " + min + " to " + max + ".", field);
		}
	}

}
