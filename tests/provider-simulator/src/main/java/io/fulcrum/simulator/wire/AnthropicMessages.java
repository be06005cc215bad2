package io.fulcrum.simulator.wire;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}).
 */
public final class AnthropicMessages implements ChatDialect {

	@Override
	public ErrorFormat errors() {
		return ErrorFormat.ANTHROPIC;
	}

	@Override
	public ChatRequest parse(JsonNode body) {
		RequestFields.requireObject(body);
		String model = RequestFields.requireString(body, "model");
		Integer maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens");
		if (maxTokens == null) {
			throw new InvalidRequestException("max_tokens: Field required", "max_tokens");
		}
		JsonNode messages = RequestFields.requireNonEmptyArray(body, "messages");
		boolean stream = RequestFields.optionalBoolean(body, "stream");
		JsonNode system = body.get("system");
		int promptTokens = (system != null) ? PromptTokens.estimate(system, messages) : PromptTokens.estimate(messages);
		return new ChatRequest(model, promptTokens, maxTokens, stream, true);
	}

	@Override
	public byte[] completion(ChatRequest request, String text, int outputTokens, StopReason stopReason,
			boolean reportUsage) {
		ObjectNode root = message(request, Ids.next("msg_"));
		root.putArray("content").addObject().put("type", "text").put("text", text);
		root.put("stop_reason", stopReason.anthropic());
		if (reportUsage) {
			root.set("usage", usage(request.promptTokens(), outputTokens));
		}
		return Json.bytes(root);
	}

	@Override
	public ChatStream stream(ChatRequest request, boolean reportUsage) {
		return new AnthropicMessageStream(request, reportUsage);
	}

	/** A message object without content, stop reason or usage, in Anthropic's field order. */
	static ObjectNode message(ChatRequest request, String id) {
		ObjectNode message = Json.object();
		message.put("id", id);
		message.put("type", "message");
		message.put("role", "assistant");
		message.put("model", request.model());
		message.putArray("content");
		message.putNull("stop_reason");
		message.putNull("stop_sequence");
		return message;
	}

	static ObjectNode usage(int inputTokens, int outputTokens) {
		ObjectNode usage = Json.object();
		usage.put("input_tokens", inputTokens);
		usage.put("output_tokens", outputTokens);
		usage.put("cache_creation_input_tokens", 0);
		usage.put("cache_read_input_tokens", 0);
		return usage;
	}

}
