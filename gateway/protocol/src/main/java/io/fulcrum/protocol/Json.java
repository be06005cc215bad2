package io.fulcrum.protocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one {@link JsonMapper} shared by every wire codec, and small helpers for reading optional fields of a
 * Jackson tree without null checks at each call site.
 */
public final class Json {

	/** Thread-safe mapper with Jackson's defaults; it is immutable once built. */
	public static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	public static ObjectNode object() {
		return JsonNodeFactory.instance.objectNode();
	}

	public static ArrayNode array() {
		return JsonNodeFactory.instance.arrayNode();
	}

	/** Parses a JSON document; a malformed one raises Jackson's (unchecked) {@code JacksonException}. */
	public static JsonNode parse(byte[] bytes) {
		return MAPPER.readTree(bytes);
	}

	public static JsonNode parse(String text) {
		return MAPPER.readTree(text);
	}

	public static byte[] bytes(JsonNode node) {
		return MAPPER.writeValueAsBytes(node);
	}

	public static String text(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

	/** The text of {@code field} when it is a JSON string, otherwise {@code null}. */
	public static @org.jspecify.annotations.Nullable String string(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.isString() ? value.asString() : null;
	}

	/** The value of {@code field} when it is an integral number, otherwise {@code null}. */
	public static @org.jspecify.annotations.Nullable Long longValue(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.isIntegralNumber() ? value.asLong() : null;
	}

}
