package io.fulcrum.backend.server;

import io.fulcrum.backend.generation.GenerationUsage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders completions in OpenAI's shapes: a whole {@code chat.completion} / {@code text_completion}, or the chunks
 * of a stream ({@code chat.completion.chunk} with deltas; {@code text_completion} with text pieces), and the usage
 * OpenAI reports, with {@code prompt_tokens_details.cached_tokens} counting prompt tokens reused from the prefix
 * cache.
 *
 * @param chat chat completions (else text completions)
 * @param id the completion's id, the same on every chunk
 * @param created seconds since the epoch
 * @param model the model's name
 */
record CompletionResponse(JsonMapper json, boolean chat, String id, long created, String model) {

	/** The whole answer of a non-streaming request. */
	byte[] whole(String text, String finishReason, GenerationUsage usage) {
		ObjectNode root = header(this.chat ? "chat.completion" : "text_completion");
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		if (this.chat) {
			ObjectNode message = choice.putObject("message");
			message.put("role", "assistant");
			message.put("content", text);
		}
		else {
			choice.put("text", text);
		}
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		usage(root, usage);
		return this.json.writeValueAsBytes(root);
	}

	/** The first chunk of a chat stream: the assistant's role, no text yet. */
	String roleChunk() {
		ObjectNode root = header("chat.completion.chunk");
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode delta = choice.putObject("delta");
		delta.put("role", "assistant");
		delta.put("content", "");
		choice.putNull("logprobs");
		choice.putNull("finish_reason");
		return event(root);
	}

	/** A chunk of text, or (with {@code finishReason}) the last chunk of the choice. */
	String textChunk(String text, @Nullable String finishReason) {
		ObjectNode root = header(this.chat ? "chat.completion.chunk" : "text_completion");
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		if (this.chat) {
			ObjectNode delta = choice.putObject("delta");
			if (!text.isEmpty() || finishReason == null) {
				delta.put("content", text);
			}
		}
		else {
			choice.put("text", text);
		}
		choice.putNull("logprobs");
		if (finishReason == null) {
			choice.putNull("finish_reason");
		}
		else {
			choice.put("finish_reason", finishReason);
		}
		if (this.chat || finishReason != null) {
			root.putNull("usage");
		}
		return event(root);
	}

	/** The chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
	String usageChunk(GenerationUsage usage) {
		ObjectNode root = header(this.chat ? "chat.completion.chunk" : "text_completion");
		root.putArray("choices");
		usage(root, usage);
		return event(root);
	}

	/** An error after the stream began (its status is already sent): OpenAI's error object as an event. */
	String errorEvent(String message, String type, String code) {
		ObjectNode root = this.json.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.putNull("param");
		error.put("code", code);
		return event(root);
	}

	static String done() {
		return "data: [DONE]\n\n";
	}

	private ObjectNode header(String object) {
		ObjectNode root = this.json.createObjectNode();
		root.put("id", this.id);
		root.put("object", object);
		root.put("created", this.created);
		root.put("model", this.model);
		return root;
	}

	private static void usage(ObjectNode root, GenerationUsage usage) {
		ObjectNode u = root.putObject("usage");
		u.put("prompt_tokens", usage.promptTokens());
		u.put("completion_tokens", usage.completionTokens());
		u.put("total_tokens", usage.totalTokens());
		u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedPromptTokens());
	}

	private String event(ObjectNode root) {
		return "data: " + this.json.writeValueAsString(root) + "\n\n";
	}

}
