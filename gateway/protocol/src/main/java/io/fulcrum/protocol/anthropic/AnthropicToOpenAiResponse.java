package io.fulcrum.protocol.anthropic;

import java.time.Instant;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps the message Anthropic returns as a provider to the canonical OpenAI chat completion.
 *
 * <p>Text blocks are concatenated without a separator, because Anthropic splits one answer into several blocks
 * where it attaches citations. Thinking is reported as {@code reasoning_content}, the field OpenAI-compatible
 * reasoning backends use. Anthropic counts cached prompt tokens apart from {@code input_tokens}, whereas OpenAI's
 * {@code prompt_tokens} includes them, so they are added back.
 */
public final class AnthropicToOpenAiResponse {

	private AnthropicToOpenAiResponse() {
	}

	/**
	 * Translates a message, stamping it with the current time.
	 * @param message the Messages response body
	 * @return a new Chat Completions response body
	 */
	public static ObjectNode map(JsonNode message) {
		return map(message, Instant.now().getEpochSecond());
	}

	/**
	 * Translates a message.
	 * @param message the Messages response body
	 * @param created the completion's {@code created} time in epoch seconds
	 * @return a new Chat Completions response body
	 */
	public static ObjectNode map(JsonNode message, long created) {
		ObjectNode completion = Json.object();
		String id = Json.string(message, "id");
		completion.put("id", id != null ? id : Mapping.messageId(null));
		completion.put("object", "chat.completion");
		completion.put("created", created);
		String model = Json.string(message, "model");
		completion.put("model", model != null ? model : "");
		ObjectNode choice = completion.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode chatMessage = choice.putObject("message").put("role", "assistant");
		StringBuilder text = new StringBuilder();
		StringBuilder reasoning = new StringBuilder();
		ArrayNode toolCalls = Json.array();
		for (JsonNode block : message.path("content")) {
			String type = Json.string(block, "type");
			if ("text".equals(type)) {
				text.append(block.path("text").asString(""));
			}
			else if ("thinking".equals(type)) {
				reasoning.append(block.path("thinking").asString(""));
			}
			else if ("tool_use".equals(type)) {
				ObjectNode call = toolCalls.addObject();
				call.put("id", block.path("id").asString(""));
				call.put("type", "function");
				JsonNode input = block.get("input");
				call.putObject("function")
					.put("name", block.path("name").asString(""))
					.put("arguments", Json.text(input == null || input.isNull() ? Json.object() : input));
			}
			// redacted thinking and server tool blocks have nothing a chat client could use
		}
		if (text.isEmpty() && !toolCalls.isEmpty()) {
			chatMessage.putNull("content");
		}
		else {
			chatMessage.put("content", text.toString());
		}
		if (!reasoning.isEmpty()) {
			chatMessage.put("reasoning_content", reasoning.toString());
		}
		if (!toolCalls.isEmpty()) {
			chatMessage.set("tool_calls", toolCalls);
		}
		choice.putNull("logprobs");
		choice.put("finish_reason", Mapping.finishReason(Json.string(message, "stop_reason")));
		JsonNode usage = message.path("usage");
		completion.set("usage", usage(Mapping.tokens(usage, "input_tokens"),
				Mapping.tokens(usage, "cache_read_input_tokens"), Mapping.tokens(usage, "cache_creation_input_tokens"),
				Mapping.tokens(usage, "output_tokens")));
		return completion;
	}

	/** OpenAI's usage object for Anthropic's counts, whose input excludes both kinds of cache tokens. */
	static ObjectNode usage(long input, long cacheRead, long cacheCreation, long output) {
		long prompt = input + cacheRead + cacheCreation;
		ObjectNode usage = Json.object()
			.put("prompt_tokens", prompt)
			.put("completion_tokens", output)
			.put("total_tokens", prompt + output);
		usage.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
		return usage;
	}

}
