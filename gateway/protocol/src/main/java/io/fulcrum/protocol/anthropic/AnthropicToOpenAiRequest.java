package io.fulcrum.protocol.anthropic;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps an Anthropic Messages request, as an Anthropic SDK client sends it to Fulcrum's {@code /v1/messages}, to
 * the canonical OpenAI Chat Completions request.
 *
 * <p>Anthropic puts tool results inside the user turn that follows the tool use, whereas OpenAI wants one
 * {@code tool} message per result directly after the assistant message that made the calls; so a user turn is
 * split into its tool messages first and a user message with the rest. Thinking blocks that clients echo back in
 * assistant turns have no Chat Completions equivalent and are dropped, as is {@code cache_control}.
 */
public final class AnthropicToOpenAiRequest {

	private AnthropicToOpenAiRequest() {
	}

	/**
	 * Translates a Messages request.
	 * @param request the Messages request body
	 * @return a new Chat Completions request
	 * @throws AnthropicTranslationException when the request is invalid, naming the offending field
	 */
	public static ObjectNode map(JsonNode request) {
		if (!request.isObject()) {
			throw new AnthropicTranslationException("body", "the request body must be a JSON object");
		}
		ObjectNode chat = Json.object();
		String model = Json.string(request, "model");
		if (model == null || model.isBlank()) {
			throw new AnthropicTranslationException("model", "model is required and must be a string");
		}
		chat.put("model", model);
		ArrayNode messages = chat.putArray("messages");
		JsonNode system = request.get("system");
		if (system != null && !system.isNull()) {
			addSystem(system, messages);
		}
		addMessages(request.get("messages"), messages);
		Long maxTokens = Json.longValue(request, "max_tokens");
		if (maxTokens == null || maxTokens <= 0) {
			throw new AnthropicTranslationException("max_tokens",
					"max_tokens is required and must be a positive integer");
		}
		chat.put("max_tokens", maxTokens);
		copyNumber(request, "temperature", chat, "temperature");
		copyNumber(request, "top_p", chat, "top_p");
		// top_k is no OpenAI parameter, but vLLM and other backends honour it as an extension field
		copyNumber(request, "top_k", chat, "top_k");
		JsonNode stopSequences = request.get("stop_sequences");
		if (stopSequences != null && !stopSequences.isNull()) {
			ArrayNode stop = stopSequences(stopSequences);
			if (!stop.isEmpty()) {
				chat.set("stop", stop);
			}
		}
		JsonNode stream = request.get("stream");
		if (stream != null && stream.isBoolean()) {
			chat.put("stream", stream.booleanValue());
			if (stream.booleanValue()) {
				// the Anthropic stream must end with output token usage, which OpenAI only sends when asked
				chat.putObject("stream_options").put("include_usage", true);
			}
		}
		JsonNode tools = request.get("tools");
		if (tools != null && !tools.isNull()) {
			chat.set("tools", tools(tools));
		}
		JsonNode toolChoice = request.get("tool_choice");
		if (toolChoice != null && !toolChoice.isNull()) {
			toolChoice(toolChoice, chat);
		}
		JsonNode metadata = request.get("metadata");
		if (metadata != null && metadata.isObject()) {
			String userId = Json.string(metadata, "user_id");
			if (userId != null) {
				chat.put("user", userId);
			}
		}
		return chat;
	}

	private static void addSystem(JsonNode system, ArrayNode messages) {
		if (system.isString()) {
			messages.addObject().put("role", "system").put("content", system.asString());
			return;
		}
		if (!system.isArray()) {
			throw new AnthropicTranslationException("system", "system must be a string or an array of text blocks");
		}
		ArrayNode parts = Json.array();
		for (int i = 0; i < system.size(); i++) {
			parts.add(textPart(system.get(i), "system[" + i + "]"));
		}
		if (!parts.isEmpty()) {
			messages.addObject().put("role", "system").set("content", collapse(parts));
		}
	}

	private static void addMessages(@Nullable JsonNode source, ArrayNode messages) {
		if (source == null || !source.isArray() || source.isEmpty()) {
			throw new AnthropicTranslationException("messages", "messages is required and must be a non-empty array");
		}
		for (int i = 0; i < source.size(); i++) {
			String param = "messages[" + i + "]";
			JsonNode message = source.get(i);
			if (!message.isObject()) {
				throw new AnthropicTranslationException(param, "each message must be an object");
			}
			String role = Json.string(message, "role");
			JsonNode content = message.get("content");
			if (content == null || !(content.isString() || content.isArray())) {
				throw new AnthropicTranslationException(param + ".content",
						"content must be a string or an array of content blocks");
			}
			if ("user".equals(role)) {
				addUser(content, param + ".content", messages);
			}
			else if ("assistant".equals(role)) {
				addAssistant(content, param + ".content", messages);
			}
			else {
				throw new AnthropicTranslationException(param + ".role",
						"role must be 'user' or 'assistant', got " + Mapping.describe(message.get("role")));
			}
		}
	}

	private static void addUser(JsonNode content, String param, ArrayNode messages) {
		if (content.isString()) {
			messages.addObject().put("role", "user").put("content", content.asString());
			return;
		}
		ArrayNode parts = Json.array();
		for (int i = 0; i < content.size(); i++) {
			String blockParam = param + "[" + i + "]";
			JsonNode block = content.get(i);
			String type = blockType(block, blockParam);
			switch (type) {
				case "text" -> parts.add(textPart(block, blockParam));
				case "image" -> parts.add(imagePart(block, blockParam));
				case "tool_result" -> addToolResult(block, blockParam, messages, parts);
				default -> throw unsupportedBlock(type, "user", blockParam);
			}
		}
		// tool messages were added as the blocks were read, so whatever else the turn said follows them
		if (!parts.isEmpty()) {
			messages.addObject().put("role", "user").set("content", collapse(parts));
		}
	}

	private static void addToolResult(JsonNode block, String param, ArrayNode messages, ArrayNode userParts) {
		String toolUseId = Json.string(block, "tool_use_id");
		if (toolUseId == null) {
			throw new AnthropicTranslationException(param + ".tool_use_id", "tool_use_id must be a string");
		}
		StringBuilder text = new StringBuilder();
		JsonNode content = block.get("content");
		if (content != null && content.isString()) {
			text.append(content.asString());
		}
		else if (content != null && content.isArray()) {
			for (int i = 0; i < content.size(); i++) {
				String partParam = param + ".content[" + i + "]";
				JsonNode part = content.get(i);
				String type = blockType(part, partParam);
				if (type.equals("text")) {
					if (!text.isEmpty()) {
						text.append('\n');
					}
					text.append(textPart(part, partParam).get("text").asString());
				}
				else if (type.equals("image")) {
					// a tool message holds text only, so an image a tool returned (a screenshot, say) travels
					// in the user message that follows the tool messages
					userParts.add(imagePart(part, partParam));
				}
				else {
					throw unsupportedBlock(type, "tool_result", partParam);
				}
			}
		}
		else if (content != null && !content.isNull()) {
			throw new AnthropicTranslationException(param + ".content",
					"tool_result content must be a string or an array of content blocks");
		}
		messages.addObject().put("role", "tool").put("tool_call_id", toolUseId).put("content", text.toString());
	}

	private static void addAssistant(JsonNode content, String param, ArrayNode messages) {
		ObjectNode message = Json.object().put("role", "assistant");
		if (content.isString()) {
			messages.add(message.put("content", content.asString()));
			return;
		}
		ArrayNode parts = Json.array();
		ArrayNode toolCalls = Json.array();
		for (int i = 0; i < content.size(); i++) {
			String blockParam = param + "[" + i + "]";
			JsonNode block = content.get(i);
			String type = blockType(block, blockParam);
			switch (type) {
				case "text" -> parts.add(textPart(block, blockParam));
				case "tool_use" -> toolCalls.add(toolCall(block, blockParam));
				case "thinking", "redacted_thinking" -> {
					// reasoning from an earlier Anthropic response; the chat format cannot carry it back
				}
				default -> throw unsupportedBlock(type, "assistant", blockParam);
			}
		}
		if (parts.isEmpty()) {
			message.putNull("content");
		}
		else {
			message.set("content", collapse(parts));
		}
		if (!toolCalls.isEmpty()) {
			message.set("tool_calls", toolCalls);
		}
		messages.add(message);
	}

	private static ObjectNode toolCall(JsonNode block, String param) {
		String id = Json.string(block, "id");
		if (id == null) {
			throw new AnthropicTranslationException(param + ".id", "tool_use id must be a string");
		}
		String name = Json.string(block, "name");
		if (name == null) {
			throw new AnthropicTranslationException(param + ".name", "tool_use name must be a string");
		}
		JsonNode input = block.get("input");
		ObjectNode call = Json.object().put("id", id).put("type", "function");
		call.putObject("function")
			.put("name", name)
			.put("arguments", Json.text(input == null || input.isNull() ? Json.object() : input));
		return call;
	}

	private static ObjectNode textPart(JsonNode block, String param) {
		if (!"text".equals(Json.string(block, "type"))) {
			throw new AnthropicTranslationException(param + ".type",
					"expected a text block, got " + Mapping.describe(block.get("type")));
		}
		String text = Json.string(block, "text");
		if (text == null) {
			throw new AnthropicTranslationException(param + ".text", "text must be a string");
		}
		return Json.object().put("type", "text").put("text", text);
	}

	private static ObjectNode imagePart(JsonNode block, String param) {
		JsonNode source = block.get("source");
		if (source == null || !source.isObject()) {
			throw new AnthropicTranslationException(param + ".source", "image source must be an object");
		}
		ObjectNode part = Json.object().put("type", "image_url");
		part.putObject("image_url").put("url", Mapping.imageUrl(source, param + ".source"));
		return part;
	}

	/** A lone text part becomes plain string content, the form every OpenAI-compatible backend accepts. */
	private static JsonNode collapse(ArrayNode parts) {
		if (parts.size() == 1 && "text".equals(Json.string(parts.get(0), "type"))) {
			return parts.get(0).get("text");
		}
		return parts;
	}

	private static String blockType(JsonNode block, String param) {
		if (!block.isObject()) {
			throw new AnthropicTranslationException(param, "each content block must be an object");
		}
		String type = Json.string(block, "type");
		if (type == null) {
			throw new AnthropicTranslationException(param + ".type", "content block type must be a string");
		}
		return type;
	}

	private static AnthropicTranslationException unsupportedBlock(String type, String where, String param) {
		return new AnthropicTranslationException(param + ".type",
				"content block type '" + type + "' is not supported in " + where + " content");
	}

	private static ArrayNode stopSequences(JsonNode stopSequences) {
		if (!stopSequences.isArray()) {
			throw new AnthropicTranslationException("stop_sequences", "stop_sequences must be an array of strings");
		}
		for (int i = 0; i < stopSequences.size(); i++) {
			if (!stopSequences.get(i).isString()) {
				throw new AnthropicTranslationException("stop_sequences[" + i + "]",
						"each stop sequence must be a string");
			}
		}
		return (ArrayNode) stopSequences.deepCopy();
	}

	private static ArrayNode tools(JsonNode tools) {
		if (!tools.isArray()) {
			throw new AnthropicTranslationException("tools", "tools must be an array");
		}
		ArrayNode functions = Json.array();
		for (int i = 0; i < tools.size(); i++) {
			String param = "tools[" + i + "]";
			JsonNode tool = tools.get(i);
			if (!tool.isObject()) {
				throw new AnthropicTranslationException(param, "each tool must be an object");
			}
			String type = Json.string(tool, "type");
			if (type != null && !type.equals("custom")) {
				// server tools (web search, code execution, ...) run inside Anthropic's API, not in a model
				throw new AnthropicTranslationException(param + ".type", "tool type '" + type + "' is not supported");
			}
			String name = Json.string(tool, "name");
			if (name == null) {
				throw new AnthropicTranslationException(param + ".name", "tool name must be a string");
			}
			JsonNode schema = tool.get("input_schema");
			if (schema == null || !schema.isObject()) {
				throw new AnthropicTranslationException(param + ".input_schema", "input_schema must be an object");
			}
			ObjectNode function = functions.addObject().put("type", "function").putObject("function");
			function.put("name", name);
			String description = Json.string(tool, "description");
			if (description != null) {
				function.put("description", description);
			}
			function.set("parameters", schema.deepCopy());
		}
		return functions;
	}

	private static void toolChoice(JsonNode toolChoice, ObjectNode chat) {
		String type = toolChoice.isObject() ? Json.string(toolChoice, "type") : null;
		if (type == null) {
			throw new AnthropicTranslationException("tool_choice.type", "tool_choice must be an object with a type");
		}
		switch (type) {
			case "auto" -> chat.put("tool_choice", "auto");
			case "any" -> chat.put("tool_choice", "required");
			case "none" -> chat.put("tool_choice", "none");
			case "tool" -> {
				String name = Json.string(toolChoice, "name");
				if (name == null) {
					throw new AnthropicTranslationException("tool_choice.name",
							"tool_choice of type 'tool' needs a name");
				}
				ObjectNode choice = chat.putObject("tool_choice").put("type", "function");
				choice.putObject("function").put("name", name);
			}
			default -> throw new AnthropicTranslationException("tool_choice.type",
					"tool_choice type must be 'auto', 'any', 'tool' or 'none', got '" + type + "'");
		}
		JsonNode disableParallel = toolChoice.get("disable_parallel_tool_use");
		if (disableParallel != null && disableParallel.isBoolean() && disableParallel.booleanValue()) {
			chat.put("parallel_tool_calls", false);
		}
	}

	private static void copyNumber(JsonNode from, String field, ObjectNode to, String target) {
		JsonNode value = from.get(field);
		if (value == null || value.isNull()) {
			return;
		}
		if (!value.isNumber()) {
			throw new AnthropicTranslationException(field, field + " must be a number");
		}
		to.set(target, value.deepCopy());
	}

}
