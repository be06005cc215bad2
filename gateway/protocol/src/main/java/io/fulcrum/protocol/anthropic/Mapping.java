package io.fulcrum.protocol.anthropic;

import java.util.Locale;
import java.util.UUID;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pieces shared by the mappers of both directions: stop reasons, tool arguments, image sources and token counts.
 */
final class Mapping {

	private static final String DATA_URL_PREFIX = "data:";

	private static final String BASE64_MARKER = ";base64,";

	private Mapping() {
	}

	/**
	 * Parses an OpenAI tool call's {@code arguments} string into the object Anthropic's {@code input} must be.
	 * Models do emit truncated or invalid JSON (at {@code max_tokens}, for example), and a response must still be
	 * deliverable then, so anything but a JSON object becomes {@code {}}.
	 */
	static ObjectNode parseArguments(@Nullable String arguments) {
		if (arguments == null || arguments.isBlank()) {
			return Json.object();
		}
		try {
			JsonNode parsed = Json.parse(arguments);
			return parsed.isObject() ? (ObjectNode) parsed : Json.object();
		}
		catch (JacksonException ex) {
			return Json.object();
		}
	}

	/** Anthropic's {@code stop_reason} for an OpenAI {@code finish_reason}. */
	static String stopReason(@Nullable String finishReason) {
		if (finishReason == null) {
			return "end_turn";
		}
		return switch (finishReason) {
			case "length" -> "max_tokens";
			case "tool_calls", "function_call" -> "tool_use";
			case "content_filter" -> "refusal";
			default -> "end_turn";
		};
	}

	/** OpenAI's {@code finish_reason} for an Anthropic {@code stop_reason}. */
	static String finishReason(@Nullable String stopReason) {
		if (stopReason == null) {
			return "stop";
		}
		return switch (stopReason) {
			case "max_tokens", "model_context_window_exceeded" -> "length";
			case "tool_use" -> "tool_calls";
			case "refusal" -> "content_filter";
			// end_turn, stop_sequence, pause_turn and any reason added later: the turn simply ended
			default -> "stop";
		};
	}

	/**
	 * The stop sequence an OpenAI-compatible backend reports as matched: vLLM puts it in the choice's
	 * {@code stop_reason}, SGLang in {@code matched_stop}. Either may also be a token id, which is no sequence.
	 */
	static @Nullable String matchedStopSequence(JsonNode choice) {
		String matched = Json.string(choice, "stop_reason");
		return matched != null ? matched : Json.string(choice, "matched_stop");
	}

	/** An Anthropic message id for an OpenAI completion id; one that already is a message id is kept. */
	static String messageId(@Nullable String openAiId) {
		if (openAiId == null || openAiId.isEmpty()) {
			return "msg_" + UUID.randomUUID().toString().replace("-", "");
		}
		return openAiId.startsWith("msg_") ? openAiId : "msg_" + openAiId;
	}

	/** A tool-use id for a tool call whose backend sent none. */
	static String toolUseId() {
		return "toolu_" + UUID.randomUUID().toString().replace("-", "");
	}

	/** A non-negative token count from a usage object, 0 when absent. */
	static long tokens(@Nullable JsonNode usage, String field) {
		if (usage == null) {
			return 0;
		}
		Long value = Json.longValue(usage, field);
		return value == null ? 0 : Math.max(0, value);
	}

	/** OpenAI's {@code prompt_tokens_details.cached_tokens}, 0 when absent. */
	static long cachedTokens(@Nullable JsonNode usage) {
		return usage == null ? 0 : tokens(usage.get("prompt_tokens_details"), "cached_tokens");
	}

	/** The URL an OpenAI {@code image_url} part carries for an Anthropic image {@code source}. */
	static String imageUrl(JsonNode source, String param) {
		String type = Json.string(source, "type");
		if ("base64".equals(type)) {
			String mediaType = Json.string(source, "media_type");
			String data = Json.string(source, "data");
			if (mediaType == null) {
				throw new AnthropicTranslationException(param + ".media_type", "media_type must be a string");
			}
			if (data == null) {
				throw new AnthropicTranslationException(param + ".data", "data must be a base64 string");
			}
			return DATA_URL_PREFIX + mediaType + BASE64_MARKER + data;
		}
		if ("url".equals(type)) {
			String url = Json.string(source, "url");
			if (url == null) {
				throw new AnthropicTranslationException(param + ".url", "url must be a string");
			}
			return url;
		}
		throw new AnthropicTranslationException(param + ".type",
				"image source type must be 'base64' or 'url', got " + describe(source.get("type")));
	}

	/**
	 * The Anthropic image {@code source} for an OpenAI image URL: a base64 data URL is unpacked, since Anthropic
	 * takes the bytes and their media type separately; any other URL is passed for Anthropic to fetch.
	 */
	static ObjectNode imageSource(String url, String param) {
		ObjectNode source = Json.object();
		if (url.regionMatches(true, 0, DATA_URL_PREFIX, 0, DATA_URL_PREFIX.length())) {
			int marker = url.indexOf(BASE64_MARKER);
			if (marker < 0) {
				throw new AnthropicTranslationException(param, "image data URLs must be base64 encoded");
			}
			source.put("type", "base64");
			source.put("media_type", url.substring(DATA_URL_PREFIX.length(), marker));
			source.put("data", url.substring(marker + BASE64_MARKER.length()));
			return source;
		}
		source.put("type", "url");
		source.put("url", url);
		return source;
	}

	/** A short description of a JSON value for error messages. */
	static String describe(@Nullable JsonNode value) {
		if (value == null || value.isMissingNode()) {
			return "nothing";
		}
		if (value.isString()) {
			return "'" + value.asString() + "'";
		}
		return value.getNodeType().name().toLowerCase(Locale.ROOT);
	}

}
