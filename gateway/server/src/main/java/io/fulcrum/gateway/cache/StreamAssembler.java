package io.fulcrum.gateway.cache;

import java.util.Map;
import java.util.TreeMap;

import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles a streamed chat completion's chunks into the {@code chat.completion} a whole request would have got, to
 * be cached. Only a finished stream is assembled: every choice must have its {@code finish_reason}. Tool-call deltas
 * are not assembled: a stream that carries one is not cached.
 */
public final class StreamAssembler {

	private final Map<Integer, Choice> choices = new TreeMap<>();

	private @Nullable JsonNode first;

	private @Nullable JsonNode usage;

	private boolean uncacheable;

	/** Takes the next chunk (they arrive serially). */
	public void add(StreamChunk chunk) {
		if (this.uncacheable) {
			return;
		}
		ObjectNode node = chunk.node();
		if (this.first == null) {
			this.first = node;
		}
		JsonNode reported = node.get("usage");
		if (reported != null && reported.isObject()) {
			this.usage = reported;
		}
		for (JsonNode choice : node.path("choices")) {
			JsonNode delta = choice.path("delta");
			if (delta.has("tool_calls") || delta.has("function_call")) {
				this.uncacheable = true;
				return;
			}
			Choice assembled = this.choices.computeIfAbsent(choice.path("index").asInt(0), index -> new Choice());
			JsonNode content = delta.get("content");
			if (content != null && content.isString()) {
				assembled.content.append(content.asString());
			}
			JsonNode refusal = delta.get("refusal");
			if (refusal != null && refusal.isString()) {
				assembled.refusal = (assembled.refusal == null ? "" : assembled.refusal) + refusal.asString();
			}
			JsonNode finish = choice.get("finish_reason");
			if (finish != null && finish.isString()) {
				assembled.finishReason = finish.asString();
			}
		}
	}

	/**
	 * The assembled completion, or {@code null} when the stream cannot be cached (no choices, a choice without a
	 * finish reason, tool calls, or no usage to say what it cost).
	 */
	public @Nullable ObjectNode completion() {
		JsonNode head = this.first;
		if (this.uncacheable || head == null || this.choices.isEmpty() || this.usage == null) {
			return null;
		}
		ObjectNode out = Json.object();
		out.put("id", head.path("id").asString(""));
		out.put("object", "chat.completion");
		out.put("created", head.path("created").asLong(0));
		out.put("model", head.path("model").asString(""));
		if (head.hasNonNull("system_fingerprint")) {
			out.set("system_fingerprint", head.get("system_fingerprint"));
		}
		var array = out.putArray("choices");
		for (Map.Entry<Integer, Choice> entry : this.choices.entrySet()) {
			Choice choice = entry.getValue();
			if (choice.finishReason == null) {
				return null;
			}
			ObjectNode item = array.addObject();
			item.put("index", entry.getKey());
			ObjectNode message = item.putObject("message");
			message.put("role", "assistant");
			message.put("content", choice.content.toString());
			if (choice.refusal != null) {
				message.put("refusal", choice.refusal);
			}
			item.put("finish_reason", choice.finishReason);
		}
		out.set("usage", this.usage);
		return out;
	}

	private static final class Choice {

		final StringBuilder content = new StringBuilder();

		@Nullable String refusal;

		@Nullable String finishReason;

	}

}
