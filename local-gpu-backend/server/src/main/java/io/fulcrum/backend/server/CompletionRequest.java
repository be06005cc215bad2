package io.fulcrum.backend.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.fulcrum.backend.chat.ChatMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A parsed and checked {@code POST /v1/chat/completions} or {@code POST /v1/completions} body. Fields OpenAI
 * defines that this server cannot honour ({@code n > 1}, {@code logprobs}, {@code tools}, non-zero penalties,
 * JSON output) are refused with a clear 400 rather than silently ignored; unknown fields are ignored.
 *
 * @param model the requested model
 * @param messages the conversation (chat), or null
 * @param prompt the prompt text (completions), or null
 * @param promptTokens the prompt as token ids (completions given an array of integers), or null
 * @param maxTokens {@code max_tokens} / {@code max_completion_tokens}, or null for the default
 * @param temperature 0 to 2 (default 1)
 * @param topP (0, 1] (default 1)
 * @param topK 0 for no limit (vLLM's {@code top_k}; -1 also means none)
 * @param seed makes sampling reproducible, or null
 * @param stop up to four stop sequences
 * @param stream whether to answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with the usage
 * @param ignoreEos vLLM's {@code ignore_eos}: keep going past the end-of-generation token
 */
record CompletionRequest(String model, @Nullable List<ChatMessage> messages, @Nullable String prompt,
		int @Nullable [] promptTokens, @Nullable Integer maxTokens, double temperature, double topP, int topK,
		@Nullable Long seed, List<String> stop, boolean stream, boolean includeUsage, boolean ignoreEos) {

	static CompletionRequest parse(JsonMapper json, byte[] body, boolean chat) {
		JsonNode root = RequestBody.object(json, body);
		String model = RequestBody.model(root);
		List<ChatMessage> messages = chat ? messages(root.get("messages")) : null;
		String prompt = null;
		int[] promptTokens = null;
		if (!chat) {
			JsonNode p = root.get("prompt");
			if (p != null && p.isArray() && p.size() == 1 && p.get(0).isString()) {
				p = p.get(0);
			}
			if (p != null && p.isString()) {
				prompt = p.asString();
			}
			else if (p != null && p.isArray() && !p.isEmpty() && allIntegers(p)) {
				promptTokens = new int[p.size()];
				for (int i = 0; i < p.size(); i++) {
					promptTokens[i] = p.get(i).asInt();
				}
			}
			else if (p != null && p.isArray() && p.size() > 1) {
				throw ApiError.invalid("prompt", "invalid_value",
						"'prompt' holds " + p.size() + " prompts; this server takes one prompt per request.");
			}
			else {
				throw ApiError.invalid("prompt", "missing_prompt",
						"'prompt' is required: a string, or an array of token ids.");
			}
		}
		Integer maxTokens = optionalInt(root, "max_completion_tokens", 1);
		if (maxTokens == null) {
			maxTokens = optionalInt(root, "max_tokens", 1);
		}
		double temperature = number(root, "temperature", 1.0, 0, 2);
		double topP = number(root, "top_p", 1.0, 0, 1);
		if (topP == 0) {
			throw ApiError.invalid("top_p", "invalid_value", "'top_p' must be greater than 0.");
		}
		Integer topK = optionalInt(root, "top_k", -1);
		Integer n = optionalInt(root, "n", 1);
		if (n != null && n != 1) {
			throw ApiError.invalid("n", "unsupported_value", "'n' must be 1: this server generates one choice per request.");
		}
		refuseUnsupported(root);
		JsonNode seed = root.get("seed");
		Long seedValue = null;
		if (seed != null && !seed.isNull()) {
			if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
				throw ApiError.invalid("seed", "invalid_type", "'seed' must be an integer.");
			}
			seedValue = seed.asLong();
		}
		boolean stream = bool(root, "stream");
		JsonNode options = root.get("stream_options");
		boolean includeUsage = options != null && options.isObject() && bool(options, "include_usage");
		if (options != null && !options.isNull() && !stream) {
			throw ApiError.invalid("stream_options", "invalid_value", "'stream_options' is only allowed with 'stream': true.");
		}
		return new CompletionRequest(model, messages, prompt, promptTokens, maxTokens, temperature, topP,
				topK == null || topK < 0 ? 0 : topK, seedValue, stops(root.get("stop")), stream, includeUsage,
				bool(root, "ignore_eos"));
	}

	private static List<ChatMessage> messages(@Nullable JsonNode node) {
		if (node == null || !node.isArray() || node.isEmpty()) {
			throw ApiError.invalid("messages", "missing_messages", "'messages' is required: a non-empty array.");
		}
		List<ChatMessage> messages = new ArrayList<>(node.size());
		for (int i = 0; i < node.size(); i++) {
			JsonNode m = node.get(i);
			String where = "messages[" + i + "]";
			if (!m.isObject()) {
				throw ApiError.invalid(where, "invalid_type", "'" + where + "' must be an object.");
			}
			JsonNode role = m.get("role");
			String r = role != null && role.isString() ? role.asString() : "";
			if (!List.of("system", "developer", "user", "assistant").contains(r)) {
				throw ApiError.invalid(where + ".role", "invalid_value", "'" + where + ".role' must be system, developer,"
						+ " user or assistant" + (r.equals("tool") ? " (this server does not call tools)" : "")
						+ ", was " + (role == null ? "missing" : role.toString()) + ".");
			}
			messages.add(new ChatMessage(r.equals("developer") ? "system" : r, content(m.get("content"), where)));
		}
		return messages;
	}

	/** A message's text: a string, or an array of {@code {"type":"text","text":...}} parts joined. */
	private static String content(@Nullable JsonNode content, String where) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isString()) {
			return content.asString();
		}
		if (content.isArray()) {
			StringBuilder text = new StringBuilder();
			for (JsonNode part : content) {
				JsonNode type = part.get("type");
				if (type == null || !"text".equals(type.asString()) || part.get("text") == null
						|| !part.get("text").isString()) {
					throw ApiError.invalid(where + ".content", "unsupported_content",
							"'" + where + ".content' may hold only text parts; this model reads text alone.");
				}
				text.append(part.get("text").asString());
			}
			return text.toString();
		}
		throw ApiError.invalid(where + ".content", "invalid_type",
				"'" + where + ".content' must be a string or an array of text parts.");
	}

	private static List<String> stops(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		List<String> stops = new ArrayList<>();
		if (node.isString()) {
			stops.add(node.asString());
		}
		else if (node.isArray() && node.size() <= 4) {
			for (JsonNode s : node) {
				if (!s.isString()) {
					throw ApiError.invalid("stop", "invalid_type", "'stop' must be a string or an array of strings.");
				}
				stops.add(s.asString());
			}
		}
		else {
			throw ApiError.invalid("stop", "invalid_value", "'stop' must be a string or an array of up to 4 strings.");
		}
		if (stops.stream().anyMatch(String::isEmpty)) {
			throw ApiError.invalid("stop", "invalid_value", "'stop' sequences must not be empty.");
		}
		return stops;
	}

	private static void refuseUnsupported(JsonNode root) {
		for (String field : List.of("tools", "functions", "tool_choice", "function_call")) {
			JsonNode value = root.get(field);
			if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())
					&& !(value.isString() && value.asString().equals("none"))) {
				throw ApiError.invalid(field, "unsupported_parameter", "'" + field + "' is not supported: this server"
						+ " does not call tools.");
			}
		}
		if (bool(root, "logprobs") || (root.get("logprobs") != null && root.get("logprobs").isNumber())) {
			throw ApiError.invalid("logprobs", "unsupported_parameter", "'logprobs' is not supported by this server.");
		}
		for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
			if (number(root, penalty, 0, -2, 2) != 0) {
				throw ApiError.invalid(penalty, "unsupported_parameter",
						"'" + penalty + "' is not supported by this server; only 0 is accepted.");
			}
		}
		JsonNode format = root.get("response_format");
		if (format != null && format.isObject() && format.get("type") != null
				&& !"text".equals(format.get("type").asString())) {
			throw ApiError.invalid("response_format", "unsupported_parameter",
					"'response_format' " + format.get("type") + " is not supported; only text is.");
		}
	}

	private static boolean allIntegers(JsonNode array) {
		for (JsonNode item : array) {
			if (!item.isIntegralNumber() || !item.canConvertToInt()) {
				return false;
			}
		}
		return true;
	}

	private static boolean bool(JsonNode root, String field) {
		JsonNode value = root.get(field);
		if (value == null || value.isNull()) {
			return false;
		}
		if (!value.isBoolean()) {
			throw ApiError.invalid(field, "invalid_type", "'" + field + "' must be a boolean.");
		}
		return value.asBoolean();
	}

	private static double number(JsonNode root, String field, double fallback, double min, double max) {
		JsonNode value = root.get(field);
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
			throw ApiError.invalid(field, "invalid_value", String.format(Locale.ROOT,
					"'%s' must be a number from %s to %s, was %s.", field, trim(min), trim(max), value));
		}
		return value.asDouble();
	}

	private static @Nullable Integer optionalInt(JsonNode root, String field, int min) {
		JsonNode value = root.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min) {
			throw ApiError.invalid(field, "invalid_value", "'" + field + "' must be an integer of at least " + min
					+ ", was " + value + ".");
		}
		return value.asInt();
	}

	private static String trim(double value) {
		return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
	}

}
