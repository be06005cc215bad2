package io.fulcrum.simulator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Profiles as JSON for the HTTP control: rendering one, and applying the fields of a request body to one.
 */
final class ProfileJson {

	private ProfileJson() {
	}

	static ObjectNode render(ModelProfile profile) {
		ObjectNode json = Json.object();
		json.put("ttftMedianMs", profile.ttftMedianMs());
		json.put("ttftP99Ms", profile.ttftP99Ms());
		json.put("tokensPerSecond", profile.tokensPerSecond());
		json.put("defaultOutputTokens", profile.defaultOutputTokens());
		json.put("errorRate", profile.errorRate());
		json.put("rateLimitRate", profile.rateLimitRate());
		json.put("failAfterChunks", profile.failAfterChunks());
		json.put("hang", profile.hang());
		json.put("omitUsage", profile.omitUsage());
		Instant outageUntil = profile.outageUntil();
		json.put("outageUntil", (outageUntil != null) ? outageUntil.toString() : null);
		return json;
	}

	/**
	 * Applies the fields present in a JSON object to a profile; absent fields keep their value.
	 * @param profile the profile to change
	 * @param patch a JSON object with any of the profile's fields
	 * @return the changed profile
	 * @throws IllegalArgumentException for an unknown field, a value of the wrong type or out of range
	 */
	static ModelProfile apply(ModelProfile profile, JsonNode patch) {
		if (!patch.isObject()) {
			throw new IllegalArgumentException("the profile must be a JSON object");
		}
		ModelProfile result = profile;
		long ttftMedianMs = profile.ttftMedianMs();
		long ttftP99Ms = profile.ttftP99Ms();
		for (Map.Entry<String, JsonNode> field : patch.properties()) {
			JsonNode value = field.getValue();
			switch (field.getKey()) {
				// Applied together below, so the order of the two fields in the body does not matter.
				case "ttftMedianMs" -> ttftMedianMs = longValue(field);
				case "ttftP99Ms" -> ttftP99Ms = longValue(field);
				default -> result = applyOther(result, field, value);
			}
		}
		return result.withTtft(ttftMedianMs, ttftP99Ms);
	}

	private static ModelProfile applyOther(ModelProfile result, Map.Entry<String, JsonNode> field,
			JsonNode value) {
		return switch (field.getKey()) {
			case "tokensPerSecond" -> result.withTokensPerSecond(number(field));
			case "defaultOutputTokens" -> result.withDefaultOutputTokens((int) longValue(field));
			case "errorRate" -> result.withErrorRate(number(field));
			case "rateLimitRate" -> result.withRateLimitRate(number(field));
			case "failAfterChunks" -> result.withFailAfterChunks((int) longValue(field));
			case "hang" -> result.withHang(bool(field));
			case "omitUsage" -> result.withOmitUsage(bool(field));
			case "outageUntil" -> result.withOutageUntil(value.isNull() ? null : instant(field));
			default -> throw new IllegalArgumentException("unknown profile field '" + field.getKey() + "'");
		};
	}

	private static double number(Map.Entry<String, JsonNode> field) {
		if (!field.getValue().isNumber()) {
			throw new IllegalArgumentException("'" + field.getKey() + "' must be a number");
		}
		return field.getValue().asDouble();
	}

	private static long longValue(Map.Entry<String, JsonNode> field) {
		JsonNode value = field.getValue();
		if (!value.isIntegralNumber() || !value.canConvertToInt()) {
			throw new IllegalArgumentException("'" + field.getKey() + "' must be an integer");
		}
		return value.asInt();
	}

	private static boolean bool(Map.Entry<String, JsonNode> field) {
		if (!field.getValue().isBoolean()) {
			throw new IllegalArgumentException("'" + field.getKey() + "' must be a boolean");
		}
		return field.getValue().booleanValue();
	}

	private static Instant instant(Map.Entry<String, JsonNode> field) {
		if (!field.getValue().isString()) {
			throw new IllegalArgumentException("'" + field.getKey() + "' must be an ISO-8601 instant or null");
		}
		try {
			return Instant.parse(field.getValue().asString());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + field.getKey() + "' must be an ISO-8601 instant or null");
		}
	}

}
