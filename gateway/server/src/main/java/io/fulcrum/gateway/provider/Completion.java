package io.fulcrum.gateway.provider;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * One canonical {@code chat.completion} object, kept as the bytes it arrived in and parsed into a tree only when
 * something needs its fields (a translation, or counting output tokens when the provider reported no usage). An
 * OpenAI-compatible answer passes through the gateway as it came: {@link #ofJson} checks that it is one well-formed
 * JSON object and picks out its {@code usage} without building a tree of the rest.
 */
public final class Completion {

	// Reads the usage object in the middle of the document: what follows it is not "trailing".
	private static final ObjectReader USAGE_READER = Json.MAPPER.reader()
		.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	private final byte @Nullable [] json;

	private @Nullable ObjectNode node;

	private final @Nullable JsonNode usage;

	private Completion(byte @Nullable [] json, @Nullable ObjectNode node, @Nullable JsonNode usage) {
		this.json = json;
		this.node = node;
		this.usage = usage;
	}

	/**
	 * A completion as received.
	 * @throws IllegalArgumentException when {@code json} is not exactly one well-formed JSON object
	 */
	public static Completion ofJson(byte[] json) {
		return new Completion(json, null, scanUsage(json));
	}

	/** A completion built as a tree, e.g. translated from another provider's shape. */
	public static Completion of(ObjectNode node) {
		JsonNode usage = node.get("usage");
		return new Completion(null, node, usage != null && usage.isObject() ? usage : null);
	}

	/** The JSON to send to the client: the received bytes, or the tree serialized. */
	public byte[] bytes() {
		return (this.json != null) ? this.json : Json.bytes(node());
	}

	/** The parsed completion; parsing happens once, on first call. */
	public synchronized ObjectNode node() {
		ObjectNode tree = this.node;
		if (tree == null) {
			tree = (ObjectNode) Json.parse(this.json);
			this.node = tree;
		}
		return tree;
	}

	/** The top-level {@code usage} object, or {@code null} when there is none. */
	public @Nullable JsonNode usage() {
		return this.usage;
	}

	/**
	 * Streams through the document once: the top-level fields other than {@code usage} are skipped token by token,
	 * which checks their syntax without allocating nodes for them.
	 */
	private static @Nullable JsonNode scanUsage(byte[] json) {
		JsonNode usage = null;
		try (JsonParser parser = Json.MAPPER.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("not a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
					usage = USAGE_READER.readTree(parser);
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("trailing data after the JSON object");
			}
		}
		return usage;
	}

}
