package io.fulcrum.simulator.wire;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Chat Completions API ({@code POST /v1/chat/completions}).
 */
public final class OpenAiChat implements ChatDialect {

	@Override
	public ErrorFormat errors() {
		return ErrorFormat.OPENAI;
	}

	@Override
	public ChatRequest parse(JsonNode body) {
		RequestFields.requireObject(body);
		String model = RequestFields.requireString(body, "model");
		JsonNode messages = RequestFields.requireNonEmptyArray(body, "messages");
		// max_completion_tokens superseded max_tokens; OpenAI rejects requests that set both, clients send one.
		Integer maxTokens = RequestFields.optionalPositiveInt(body, "max_completion_tokens");
		if (maxTokens == null) {
			maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens");
		}
		boolean stream = RequestFields.optionalBoolean(body, "stream");
		boolean includeUsage = false;
		JsonNode streamOptions = body.get("stream_options");
		if (streamOptions != null && streamOptions.isObject()) {
			includeUsage = RequestFields.optionalBoolean(streamOptions, "include_usage");
		}
		return new ChatRequest(model, PromptTokens.estimate(messages), maxTokens, stream, includeUsage);
	}

	@Override
	public byte[] completion(ChatRequest request, String text, int outputTokens, StopReason stopReason,
			boolean reportUsage) {
		ObjectNode root = Json.object();
		root.put("id", Ids.next("chatcmpl-"));
		root.put("object", "chat.completion");
		root.put("created", System.currentTimeMillis() / 1000);
		root.put("model", request.model());
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", text);
		message.putNull("refusal");
		choice.putNull("logprobs");
		choice.put("finish_reason", stopReason.openAi());
		if (reportUsage) {
			root.set("usage", usage(request.promptTokens(), outputTokens));
		}
		return Json.bytes(root);
	}

	@Override
	public ChatStream stream(ChatRequest request, boolean reportUsage) {
		return new OpenAiChatStream(request, reportUsage);
	}

	/** OpenAI's usage object, with the detail objects current models return. */
	static ObjectNode usage(int promptTokens, int outputTokens) {
		ObjectNode usage = Json.object();
		usage.put("prompt_tokens", promptTokens);
		usage.put("completion_tokens", outputTokens);
		usage.put("total_tokens", (long) promptTokens + outputTokens);
		usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
		usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
		return usage;
	}

}
