package io.fulcrum.gateway.metering;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;

/**
 * Counts tokens with OpenAI's o200k tokenizer (jtokkit) for the requests whose provider reports no usage. Other
 * providers' tokenizers differ by a few percent, which is why such usage is marked as estimated.
 */
public final class TokenCounter {

	// OpenAI's documented framing overhead per chat message and per reply.
	private static final int TOKENS_PER_MESSAGE = 3;

	private static final int REPLY_PRIMING_TOKENS = 3;

	private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	public int count(String text) {
		return text.isEmpty() ? 0 : this.encoding.countTokensOrdinary(text);
	}

	/** Prompt tokens of a canonical chat request: every message's text plus OpenAI's framing overhead. */
	public int countChatPrompt(JsonNode request) {
		int tokens = REPLY_PRIMING_TOKENS;
		for (JsonNode message : request.path("messages")) {
			tokens += TOKENS_PER_MESSAGE + count(message.path("role").asString(""));
			tokens += countContent(message.path("content"));
			for (JsonNode call : message.path("tool_calls")) {
				tokens += count(call.path("function").path("name").asString(""));
				tokens += count(call.path("function").path("arguments").asString(""));
			}
		}
		for (JsonNode tool : request.path("tools")) {
			tokens += count(tool.toString());
		}
		return tokens;
	}

	/** Tokens of an embeddings request's {@code input}: a string, an array of strings, or token arrays. */
	public int countEmbeddingInput(JsonNode input) {
		if (input.isString()) {
			return count(input.asString());
		}
		int tokens = 0;
		for (JsonNode item : input) {
			tokens += item.isString() ? count(item.asString()) : item.isArray() ? item.size() : 1;
		}
		return tokens;
	}

	private int countContent(JsonNode content) {
		if (content.isString()) {
			return count(content.asString());
		}
		int tokens = 0;
		for (JsonNode part : content) {
			if (part.path("text").isString()) {
				tokens += count(part.path("text").asString());
			}
		}
		return tokens;
	}

}
