package io.fulcrum.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a canonical OpenAI Chat Completions request to the Messages request Fulcrum sends when Anthropic is the
 * provider.
 *
 * <p>Anthropic has one top-level system prompt, requires {@code max_tokens}, and requires user and assistant
 * turns to alternate, with tool results carried as blocks of a user turn. So system and developer messages are
 * hoisted into {@code system} wherever they appear, consecutive tool messages become one user turn, and
 * consecutive turns of the same role are merged, tool results first as Anthropic demands. Empty text is dropped
 * because Anthropic rejects empty text blocks. Fields with no Anthropic equivalent ({@code n},
 * {@code response_format}, {@code logprobs}, ...) are not sent.
 */
public final class OpenAiToAnthropicRequest {

	private OpenAiToAnthropicRequest() {
	}

	/**
	 * Translates a chat request.
	 * @param request the Chat Completions request body
	 * @param upstreamModel the Anthropic model to call
	 * @param defaultMaxTokens {@code max_tokens} to send when the request sets no limit, as Anthropic needs one
	 * @return a new Messages request
	 * @throws AnthropicTranslationException when the request cannot be expressed for Anthropic, naming the field
	 */
	public static ObjectNode map(JsonNode request, String upstreamModel, int defaultMaxTokens) {
		ObjectNode messagesRequest = Json.object();
		messagesRequest.put("model", upstreamModel);
		ArrayNode system = Json.array();
		ArrayNode messages = messages(request.get("messages"), system);
		messagesRequest.put("max_tokens", maxTokens(request, defaultMaxTokens));
		if (!system.isEmpty()) {
			messagesRequest.set("system", system.size() == 1 ? system.get(0).get("text") : system);
		}
		messagesRequest.set("messages", messages);
		JsonNode temperature = request.get("temperature");
		if (temperature != null && temperature.isNumber()) {
			// OpenAI allows up to 2, Anthropic up to 1: a request valid for one should not fail for the other
			messagesRequest.put("temperature", Math.min(1.0, Math.max(0.0, temperature.asDouble())));
		}
		copyNumber(request, "top_p", messagesRequest);
		copyNumber(request, "top_k", messagesRequest);
		ArrayNode stopSequences = stopSequences(request.get("stop"));
		if (!stopSequences.isEmpty()) {
			messagesRequest.set("stop_sequences", stopSequences);
		}
		JsonNode tools = request.get("tools");
		if (tools != null && tools.isArray() && !tools.isEmpty()) {
			messagesRequest.set("tools", tools(tools));
			// Anthropic rejects a tool_choice without tools, and without tools there is nothing to choose
			ObjectNode toolChoice = toolChoice(request);
			if (toolChoice != null) {
				messagesRequest.set("tool_choice", toolChoice);
			}
		}
		String user = Json.string(request, "user");
		if (user != null) {
			messagesRequest.putObject("metadata").put("user_id", user);
		}
		JsonNode stream = request.get("stream");
		if (stream != null && stream.isBoolean() && stream.booleanValue()) {
			messagesRequest.put("stream", true);
		}
		return messagesRequest;
	}

	private static long maxTokens(JsonNode request, int defaultMaxTokens) {
		for (String field : new String[] { "max_completion_tokens", "max_tokens" }) {
			JsonNode value = request.get(field);
			if (value == null || value.isNull()) {
				continue;
			}
			if (!value.isIntegralNumber() || value.asLong() <= 0) {
				throw new AnthropicTranslationException(field, field + " must be a positive integer");
			}
			return value.asLong();
		}
		return defaultMaxTokens;
	}

	private static ArrayNode messages(@Nullable JsonNode source, ArrayNode system) {
		if (source == null || !source.isArray() || source.isEmpty()) {
			throw new AnthropicTranslationException("messages", "messages must be a non-empty array");
		}
		ArrayNode messages = Json.array();
		for (int i = 0; i < source.size(); i++) {
			String param = "messages[" + i + "]";
			JsonNode message = source.get(i);
			String role = Json.string(message, "role");
			if (role == null) {
				throw new AnthropicTranslationException(param + ".role", "role must be a string");
			}
			JsonNode content = message.get("content");
			switch (role) {
				case "system", "developer" -> {
					for (String text : texts(content, param + ".content")) {
						system.addObject().put("type", "text").put("text", text);
					}
				}
				case "user" -> append(messages, "user", userBlocks(content, param + ".content"));
				case "assistant" -> append(messages, "assistant", assistantBlocks(message, param));
				case "tool" -> append(messages, "user", Json.array().add(toolResult(message, param)));
				default -> throw new AnthropicTranslationException(param + ".role",
						"role '" + role + "' is not supported");
			}
		}
		for (JsonNode message : messages) {
			toolResultsFirst((ArrayNode) message.get("content"));
		}
		return messages;
	}

	/** Adds a turn, merging it into the previous one of the same role since Anthropic requires alternation. */
	private static void append(ArrayNode messages, String role, ArrayNode blocks) {
		if (blocks.isEmpty()) {
			return;
		}
		JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
		if (last != null && role.equals(Json.string(last, "role"))) {
			((ArrayNode) last.get("content")).addAll(blocks);
			return;
		}
		messages.addObject().put("role", role).set("content", blocks);
	}

	/** Anthropic requires a user turn's tool results to come before any other block. */
	private static void toolResultsFirst(ArrayNode blocks) {
		ArrayNode results = Json.array();
		ArrayNode others = Json.array();
		for (JsonNode block : blocks) {
			("tool_result".equals(Json.string(block, "type")) ? results : others).add(block);
		}
		if (!results.isEmpty() && !others.isEmpty()) {
			blocks.removeAll();
			blocks.addAll(results);
			blocks.addAll(others);
		}
	}

	private static ArrayNode userBlocks(@Nullable JsonNode content, String param) {
		ArrayNode blocks = Json.array();
		if (content == null || content.isNull()) {
			return blocks;
		}
		if (content.isString()) {
			addText(blocks, content.asString());
			return blocks;
		}
		if (!content.isArray()) {
			throw new AnthropicTranslationException(param, "content must be a string or an array of parts");
		}
		for (int i = 0; i < content.size(); i++) {
			String partParam = param + "[" + i + "]";
			JsonNode part = content.get(i);
			String type = Json.string(part, "type");
			if ("text".equals(type)) {
				addText(blocks, partText(part, partParam));
			}
			else if ("image_url".equals(type)) {
				JsonNode imageUrl = part.get("image_url");
				// the URL is an object's field in the current API, the part's value itself in older clients
				String url = imageUrl != null && imageUrl.isString() ? imageUrl.asString()
						: imageUrl != null ? Json.string(imageUrl, "url") : null;
				if (url == null) {
					throw new AnthropicTranslationException(partParam + ".image_url.url",
							"image_url.url must be a string");
				}
				ObjectNode image = blocks.addObject().put("type", "image");
				image.set("source", Mapping.imageSource(url, partParam + ".image_url.url"));
			}
			else {
				throw new AnthropicTranslationException(partParam + ".type",
						"content part type " + Mapping.describe(part.get("type")) + " is not supported by Anthropic");
			}
		}
		return blocks;
	}

	private static ArrayNode assistantBlocks(JsonNode message, String param) {
		ArrayNode blocks = Json.array();
		for (String text : texts(message.get("content"), param + ".content")) {
			addText(blocks, text);
		}
		JsonNode toolCalls = message.get("tool_calls");
		if (toolCalls == null || !toolCalls.isArray()) {
			return blocks;
		}
		for (int i = 0; i < toolCalls.size(); i++) {
			String callParam = param + ".tool_calls[" + i + "]";
			JsonNode call = toolCalls.get(i);
			String id = Json.string(call, "id");
			if (id == null) {
				throw new AnthropicTranslationException(callParam + ".id", "tool call id must be a string");
			}
			JsonNode function = call.path("function");
			String name = Json.string(function, "name");
			if (name == null) {
				throw new AnthropicTranslationException(callParam + ".function.name", "function name must be a string");
			}
			blocks.addObject()
				.put("type", "tool_use")
				.put("id", id)
				.put("name", name)
				.set("input", Mapping.parseArguments(Json.string(function, "arguments")));
		}
		return blocks;
	}

	private static ObjectNode toolResult(JsonNode message, String param) {
		String toolCallId = Json.string(message, "tool_call_id");
		if (toolCallId == null) {
			throw new AnthropicTranslationException(param + ".tool_call_id", "tool_call_id must be a string");
		}
		ObjectNode result = Json.object().put("type", "tool_result").put("tool_use_id", toolCallId);
		result.put("content", String.join("\n", texts(message.get("content"), param + ".content")));
		return result;
	}

	/** The texts of system, assistant or tool content: a string, an array of text parts, or null. */
	private static List<String> texts(@Nullable JsonNode content, String param) {
		List<String> texts = new ArrayList<>();
		if (content == null || content.isNull()) {
			return texts;
		}
		if (content.isString()) {
			texts.add(content.asString());
			return texts;
		}
		if (!content.isArray()) {
			throw new AnthropicTranslationException(param, "content must be a string or an array of text parts");
		}
		for (int i = 0; i < content.size(); i++) {
			String partParam = param + "[" + i + "]";
			JsonNode part = content.get(i);
			String type = Json.string(part, "type");
			if ("text".equals(type)) {
				texts.add(partText(part, partParam));
			}
			else if ("refusal".equals(type)) {
				String refusal = Json.string(part, "refusal");
				texts.add(refusal == null ? "" : refusal);
			}
			else {
				throw new AnthropicTranslationException(partParam + ".type",
						"content part type " + Mapping.describe(part.get("type")) + " is not supported here");
			}
		}
		return texts;
	}

	private static String partText(JsonNode part, String param) {
		String text = Json.string(part, "text");
		if (text == null) {
			throw new AnthropicTranslationException(param + ".text", "text must be a string");
		}
		return text;
	}

	private static void addText(ArrayNode blocks, String text) {
		if (!text.isEmpty()) {
			blocks.addObject().put("type", "text").put("text", text);
		}
	}

	private static ArrayNode stopSequences(@Nullable JsonNode stop) {
		ArrayNode sequences = Json.array();
		if (stop == null || stop.isNull()) {
			return sequences;
		}
		if (stop.isString()) {
			stop = Json.array().add(stop.asString());
		}
		if (!stop.isArray()) {
			throw new AnthropicTranslationException("stop", "stop must be a string or an array of strings");
		}
		for (int i = 0; i < stop.size(); i++) {
			JsonNode sequence = stop.get(i);
			if (!sequence.isString()) {
				throw new AnthropicTranslationException("stop[" + i + "]", "each stop sequence must be a string");
			}
			// Anthropic rejects stop sequences made only of whitespace
			if (!sequence.asString().isBlank()) {
				sequences.add(sequence.asString());
			}
		}
		return sequences;
	}

	private static ArrayNode tools(JsonNode tools) {
		ArrayNode anthropicTools = Json.array();
		for (int i = 0; i < tools.size(); i++) {
			String param = "tools[" + i + "]";
			JsonNode tool = tools.get(i);
			if (!"function".equals(Json.string(tool, "type"))) {
				throw new AnthropicTranslationException(param + ".type",
						"tool type " + Mapping.describe(tool.get("type")) + " is not supported by Anthropic");
			}
			JsonNode function = tool.path("function");
			String name = Json.string(function, "name");
			if (name == null) {
				throw new AnthropicTranslationException(param + ".function.name", "function name must be a string");
			}
			ObjectNode anthropicTool = anthropicTools.addObject().put("name", name);
			String description = Json.string(function, "description");
			if (description != null) {
				anthropicTool.put("description", description);
			}
			JsonNode parameters = function.get("parameters");
			if (parameters != null && parameters.isObject()) {
				anthropicTool.set("input_schema", parameters.deepCopy());
			}
			else {
				// OpenAI lets a function omit its parameters; Anthropic requires an object schema
				anthropicTool.putObject("input_schema").put("type", "object").putObject("properties");
			}
		}
		return anthropicTools;
	}

	private static @Nullable ObjectNode toolChoice(JsonNode request) {
		JsonNode choice = request.get("tool_choice");
		ObjectNode toolChoice = null;
		if (choice != null && choice.isString()) {
			toolChoice = switch (choice.asString()) {
				case "auto" -> Json.object().put("type", "auto");
				case "required" -> Json.object().put("type", "any");
				case "none" -> Json.object().put("type", "none");
				default -> throw new AnthropicTranslationException("tool_choice",
						"tool_choice must be 'auto', 'required', 'none' or a named function");
			};
		}
		else if (choice != null && choice.isObject()) {
			String name = Json.string(choice.path("function"), "name");
			if (name == null) {
				throw new AnthropicTranslationException("tool_choice.function.name", "function name must be a string");
			}
			toolChoice = Json.object().put("type", "tool").put("name", name);
		}
		JsonNode parallel = request.get("parallel_tool_calls");
		if (parallel != null && parallel.isBoolean() && !parallel.booleanValue()) {
			if (toolChoice == null) {
				toolChoice = Json.object().put("type", "auto");
			}
			// the flag exists on every tool_choice type but none
			if (!"none".equals(Json.string(toolChoice, "type"))) {
				toolChoice.put("disable_parallel_tool_use", true);
			}
		}
		return toolChoice;
	}

	private static void copyNumber(JsonNode from, String field, ObjectNode to) {
		JsonNode value = from.get(field);
		if (value != null && value.isNumber()) {
			to.set(field, value.deepCopy());
		}
	}

}
