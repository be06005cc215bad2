package io.fulcrum.simulator.wire;

import tools.jackson.databind.JsonNode;

/**
 * A cheap, deterministic stand-in for a tokenizer: a quarter of the characters of the text the request carries,
 * at least one. The gateway counts tokens itself and never compares its count with this one.
 */
public final class PromptTokens {

	private PromptTokens() {
	}

	/** Estimates the tokens of one or more messages, or of a {@code system} field. */
	public static int estimate(JsonNode... parts) {
		long chars = 0;
		for (JsonNode part : parts) {
			chars += characters(part);
		}
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, chars / 4));
	}

	/**
	 * The characters of text in a node: a string, a content part with {@code text}, a message with
	 * {@code content}, or an array of any of them.
	 */
	private static long characters(JsonNode node) {
		if (node.isString()) {
			return node.asString().length();
		}
		if (node.isArray()) {
			long chars = 0;
			for (JsonNode element : node) {
				chars += characters(element);
			}
			return chars;
		}
		if (node.isObject()) {
			JsonNode content = node.get("content");
			if (content != null) {
				return characters(content);
			}
			JsonNode text = node.get("text");
			return (text != null && text.isString()) ? text.asString().length() : 0;
		}
		return 0;
	}

}
