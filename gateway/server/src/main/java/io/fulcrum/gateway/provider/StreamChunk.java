package io.fulcrum.gateway.provider;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One canonical {@code chat.completion.chunk} of a stream, kept as the JSON text it arrived in and parsed only when
 * something needs its fields. An OpenAI-compatible stream passes through the gateway mostly unparsed: only chunks
 * that carry usage, and the first content chunk, are looked into. Translated chunks (Anthropic) start as trees.
 */
public final class StreamChunk {

	private @Nullable String json;

	private @Nullable ObjectNode node;

	private StreamChunk(@Nullable String json, @Nullable ObjectNode node) {
		this.json = json;
		this.node = node;
	}

	/** A chunk as received; its JSON must be an object (checked when first parsed). */
	public static StreamChunk ofJson(String json) {
		return new StreamChunk(json, null);
	}

	public static StreamChunk of(ObjectNode node) {
		return new StreamChunk(null, node);
	}

	/** The chunk's JSON text, as received or serialized once. */
	public String json() {
		String text = this.json;
		if (text == null) {
			text = Json.text(node());
			this.json = text;
		}
		return text;
	}

	/** The parsed chunk; parsing happens once, on first call. */
	public ObjectNode node() {
		ObjectNode tree = this.node;
		if (tree == null) {
			tree = (ObjectNode) Json.parse(json());
			this.node = tree;
		}
		return tree;
	}

	/** Whether the chunk reports usage; a text search first, since most chunks carry {@code "usage":null}. */
	public boolean hasUsage() {
		if (this.node == null && !fieldValueStarts(json(), "\"usage\"", '{')) {
			return false;
		}
		return node().path("usage").isObject();
	}

	/** The chunk OpenAI sends after the last choice when usage was requested: no choices, just usage. */
	public boolean isUsageOnly() {
		return hasUsage() && node().path("choices").isEmpty();
	}

	/**
	 * Whether the chunk carries generated output (text or a tool call), as opposed to the opening role chunk or the
	 * closing finish and usage chunks.
	 */
	public boolean hasOutput() {
		if (this.node == null) {
			String text = json();
			// An empty "content":"" (the opening role chunk) is not output: no need to parse to find that out.
			if (!hasNonEmptyStringValue(text, "\"content\"") && !text.contains("\"tool_calls\"")) {
				return false;
			}
		}
		for (JsonNode choice : node().path("choices")) {
			JsonNode delta = choice.path("delta");
			JsonNode content = delta.path("content");
			JsonNode toolCalls = delta.path("tool_calls");
			if ((content.isString() && !content.asString().isEmpty()) || (toolCalls.isArray() && !toolCalls.isEmpty())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether some occurrence of {@code quotedName} in {@code text} is followed, after optional whitespace, a colon
	 * and optional whitespace, by {@code first}. A cheap pre-check that tolerates any JSON formatting; a match is
	 * confirmed by parsing.
	 */
	public static boolean fieldValueStarts(String text, String quotedName, char first) {
		for (int i = nextValue(text, quotedName, 0); i >= 0; i = nextValue(text, quotedName, i)) {
			if (i < text.length() && text.charAt(i) == first) {
				return true;
			}
		}
		return false;
	}

	/** Like {@link #fieldValueStarts} with a string value, but only a non-empty one counts. */
	private static boolean hasNonEmptyStringValue(String text, String quotedName) {
		for (int i = nextValue(text, quotedName, 0); i >= 0; i = nextValue(text, quotedName, i)) {
			if (i + 1 < text.length() && text.charAt(i) == '"' && text.charAt(i + 1) != '"') {
				return true;
			}
		}
		return false;
	}

	/**
	 * Where the value begins (after whitespace) of the first occurrence of {@code quotedName} at or after {@code from}
	 * that a colon follows; -1 when there is none. Searching again from the result finds the next one.
	 */
	private static int nextValue(String text, String quotedName, int from) {
		int at;
		while ((at = text.indexOf(quotedName, from)) >= 0) {
			int i = skipWhitespace(text, at + quotedName.length());
			if (i < text.length() && text.charAt(i) == ':') {
				return skipWhitespace(text, i + 1);
			}
			from = at + quotedName.length();
		}
		return -1;
	}

	private static int skipWhitespace(String text, int index) {
		int i = index;
		while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
			i++;
		}
		return i;
	}

}
