package io.fulcrum.gateway.cache;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays a cached {@code chat.completion} as the {@code chat.completion.chunk}s OpenAI would have streamed: per
 * choice a role chunk, one content chunk (with its tool calls, if the entry has any) and a finish chunk, then the
 * usage chunk when the client asked for it ({@code stream_options.include_usage}). The caller ends the stream with
 * {@code [DONE]}.
 */
public final class SseReplay {

	private SseReplay() {
	}

	/** The chunks' JSON texts, in order. */
	public static List<String> chunks(JsonNode completion, boolean includeUsage) {
		List<String> out = new ArrayList<>();
		for (JsonNode choice : completion.path("choices")) {
			int index = choice.path("index").asInt(0);
			JsonNode message = choice.path("message");
			ObjectNode role = Json.object();
			role.put("role", message.path("role").asString("assistant"));
			role.put("content", "");
			out.add(chunk(completion, index, role, null, includeUsage));
			ObjectNode content = Json.object();
			JsonNode text = message.get("content");
			if (text != null && text.isString() && !text.asString().isEmpty()) {
				content.put("content", text.asString());
			}
			JsonNode refusal = message.get("refusal");
			if (refusal != null && refusal.isString()) {
				content.put("refusal", refusal.asString());
			}
			JsonNode calls = message.get("tool_calls");
			if (calls != null && calls.isArray() && !calls.isEmpty()) {
				ArrayNode indexed = content.putArray("tool_calls");
				int i = 0;
				for (JsonNode call : calls) {
					ObjectNode copy = ((ObjectNode) call).deepCopy();
					copy.put("index", i++);
					indexed.add(copy);
				}
			}
			if (!content.isEmpty()) {
				out.add(chunk(completion, index, content, null, includeUsage));
			}
			out.add(chunk(completion, index, Json.object(), choice.path("finish_reason").asString("stop"),
					includeUsage));
		}
		if (includeUsage && completion.has("usage")) {
			ObjectNode usage = header(completion);
			usage.putArray("choices");
			usage.set("usage", completion.get("usage"));
			out.add(Json.text(usage));
		}
		return out;
	}

	private static String chunk(JsonNode completion, int index, ObjectNode delta, @Nullable String finishReason,
			boolean includeUsage) {
		ObjectNode chunk = header(completion);
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", index);
		choice.set("delta", delta);
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		else {
			choice.putNull("finish_reason");
		}
		if (includeUsage) {
			chunk.putNull("usage");
		}
		return Json.text(chunk);
	}

	private static ObjectNode header(JsonNode completion) {
		ObjectNode chunk = Json.object();
		chunk.put("id", completion.path("id").asString(""));
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", completion.path("created").asLong(0));
		chunk.put("model", completion.path("model").asString(""));
		if (completion.hasNonNull("system_fingerprint")) {
			chunk.set("system_fingerprint", completion.get("system_fingerprint"));
		}
		return chunk;
	}

}
