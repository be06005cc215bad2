package io.fulcrum.protocol.anthropic;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a canonical OpenAI chat completion to the Anthropic message Fulcrum returns on {@code /v1/messages}.
 *
 * <p>Only the first choice is translated, since a Messages request cannot ask for more. OpenAI counts cached
 * prompt tokens inside {@code prompt_tokens}, while Anthropic reports them apart from {@code input_tokens}, so
 * the cached count is subtracted.
 */
public final class OpenAiToAnthropicResponse {

	private OpenAiToAnthropicResponse() {
	}

	/**
	 * Translates a chat completion.
	 * @param completion the Chat Completions response body
	 * @param requestedModel the model the client asked for, which the message reports
	 * @return a new Messages response body
	 */
	public static ObjectNode map(JsonNode completion, String requestedModel) {
		ObjectNode message = Json.object();
		message.put("id", Mapping.messageId(Json.string(completion, "id")));
		message.put("type", "message");
		message.put("role", "assistant");
		message.put("model", requestedModel);
		ArrayNode content = message.putArray("content");
		JsonNode choice = completion.path("choices").path(0);
		JsonNode choiceMessage = choice.path("message");
		String text = text(choiceMessage.get("content"));
		if (text.isEmpty()) {
			String refusal = Json.string(choiceMessage, "refusal");
			text = refusal == null ? "" : refusal;
		}
		if (!text.isEmpty()) {
			content.addObject().put("type", "text").put("text", text);
		}
		JsonNode toolCalls = choiceMessage.path("tool_calls");
		for (JsonNode call : toolCalls) {
			JsonNode function = call.path("function");
			String id = Json.string(call, "id");
			String name = Json.string(function, "name");
			content.addObject()
				.put("type", "tool_use")
				.put("id", id == null ? Mapping.toolUseId() : id)
				.put("name", name == null ? "" : name)
				.set("input", Mapping.parseArguments(Json.string(function, "arguments")));
		}
		String finishReason = Json.string(choice, "finish_reason");
		String matched = Mapping.matchedStopSequence(choice);
		String stopReason = stopReason(finishReason, matched, !toolCalls.isEmpty());
		message.put("stop_reason", stopReason);
		if (stopReason.equals("stop_sequence")) {
			message.put("stop_sequence", matched);
		}
		else {
			message.putNull("stop_sequence");
		}
		message.set("usage", usage(completion.get("usage")));
		return message;
	}

	/**
	 * Anthropic's stop reason. Some backends finish a tool-calling turn with {@code stop}; Anthropic clients only
	 * run the tools when the reason is {@code tool_use}, so tool calls decide it.
	 */
	static String stopReason(@Nullable String finishReason, @Nullable String matchedStop, boolean hasToolCalls) {
		if (hasToolCalls && (finishReason == null || finishReason.equals("stop"))) {
			return "tool_use";
		}
		if ("stop".equals(finishReason) && matchedStop != null) {
			return "stop_sequence";
		}
		return Mapping.stopReason(finishReason);
	}

	/** Anthropic's usage object for an OpenAI one; absent counts are 0. */
	static ObjectNode usage(@Nullable JsonNode usage) {
		long prompt = Mapping.tokens(usage, "prompt_tokens");
		long cached = Mapping.cachedTokens(usage);
		return Json.object()
			.put("input_tokens", Math.max(0, prompt - cached))
			.put("output_tokens", Mapping.tokens(usage, "completion_tokens"))
			.put("cache_creation_input_tokens", 0)
			.put("cache_read_input_tokens", cached);
	}

	/** The text of OpenAI message content, which is a string, an array of text parts or null. */
	private static String text(@Nullable JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isString()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			String partText = Json.string(part, "text");
			if (partText != null) {
				text.append(partText);
			}
		}
		return text.toString();
	}

}
