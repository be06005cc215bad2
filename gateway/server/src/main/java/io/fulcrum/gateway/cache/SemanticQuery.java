package io.fulcrum.gateway.cache;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the semantic cache matches a chat request on. The <b>text embedded</b> is the content of the <b>last user
 * message</b> (a string, or its text parts joined by newlines). Everything else must match exactly: the
 * <b>partition</b> is the exact key ({@link CacheKeys}, over tenant, alias, endpoint and the canonical request) of
 * the request with that message's content blanked, so the system prompt, earlier turns, temperature, seed,
 * max_tokens, tools, response_format... all take part, and only the last user message may differ in wording.
 *
 * @param partition the entries this request may be matched against
 * @param text what is embedded
 */
public record SemanticQuery(Partition partition, String text) {

	/** Entries that differ only in the last user message: one tenant, one alias, one request context. */
	public record Partition(String tenantId, String alias, String context) {
	}

	/** The query for a chat request, or {@code null} when it has no user message with text (exact matching only). */
	public static @Nullable SemanticQuery of(CacheRequest request) {
		if (request.endpoint() != CacheEndpoint.CHAT) {
			return null;
		}
		JsonNode messages = request.body().get("messages");
		if (messages == null || !messages.isArray()) {
			return null;
		}
		int last = -1;
		for (int i = messages.size() - 1; i >= 0; i--) {
			if ("user".equals(messages.get(i).path("role").asString(""))) {
				last = i;
				break;
			}
		}
		if (last < 0) {
			return null;
		}
		String text = text(messages.get(last).get("content"));
		if (text == null || text.isBlank()) {
			return null;
		}
		ObjectNode blanked = request.body().deepCopy();
		((ObjectNode) ((ArrayNode) blanked.get("messages")).get(last)).put("content", "\u0000semantic\u0000");
		String context = CacheKeys.of(request.tenantId(), request.alias(), CacheEndpoint.CHAT, blanked).value();
		return new SemanticQuery(new Partition(request.tenantId(), request.alias(), context), text);
	}

	private static @Nullable String text(@Nullable JsonNode content) {
		if (content == null) {
			return null;
		}
		if (content.isString()) {
			return content.asString();
		}
		if (!content.isArray()) {
			return null;
		}
		StringBuilder out = new StringBuilder();
		for (JsonNode part : content) {
			if (!"text".equals(part.path("type").asString("")) || !part.path("text").isString()) {
				return null; // anything but text parts (images, audio, files): exact matching only
			}
			if (!out.isEmpty()) {
				out.append('\n');
			}
			out.append(part.path("text").asString());
		}
		return out.toString();
	}

}
