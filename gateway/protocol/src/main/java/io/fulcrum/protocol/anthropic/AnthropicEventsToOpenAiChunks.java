package io.fulcrum.protocol.anthropic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the event stream of an Anthropic provider into canonical OpenAI {@code chat.completion.chunk} objects.
 *
 * <p>Anthropic numbers all content blocks, whereas OpenAI numbers only tool calls, so each {@code tool_use}
 * block gets the next tool call index. Usage is spread over {@code message_start} (input and cache tokens) and
 * {@code message_delta} (output tokens, and in newer API versions updated input counts); it is accumulated and
 * emitted at {@code message_stop} as OpenAI's final usage chunk with empty {@code choices}. Every chunk carries
 * the message id and one {@code created} time.
 *
 * <p>Not thread-safe: one instance per stream, fed in order.
 */
public final class AnthropicEventsToOpenAiChunks {

	private final long created;

	private String id = "";

	private String model = "";

	private boolean started;

	/** Anthropic content block index to OpenAI tool call index. */
	private final Map<Integer, Integer> toolCallIndexes = new HashMap<>();

	private long inputTokens;

	private long cacheReadTokens;

	private long cacheCreationTokens;

	private long outputTokens;

	/** A translator for one stream whose chunks are stamped with the current time. */
	public AnthropicEventsToOpenAiChunks() {
		this(Instant.now().getEpochSecond());
	}

	/**
	 * A translator for one stream.
	 * @param created the {@code created} time of every chunk, in epoch seconds
	 */
	public AnthropicEventsToOpenAiChunks(long created) {
		this.created = created;
	}

	/**
	 * Translates the next event of the stream.
	 * @param event an event of an Anthropic Messages stream
	 * @return the chunks it produces, in order; often none
	 * @throws AnthropicStreamException for an {@code error} event, or an event whose data is not JSON
	 */
	public List<ObjectNode> onEvent(SseEvent event) {
		List<ObjectNode> chunks = new ArrayList<>(2);
		if ("ping".equals(event.event())) {
			return chunks;
		}
		JsonNode data;
		try {
			data = Json.parse(event.data());
		}
		catch (JacksonException ex) {
			throw new AnthropicStreamException("api_error",
					"malformed event from upstream: " + ex.getOriginalMessage());
		}
		String type = event.event() != null ? event.event() : Json.string(data, "type");
		if (type == null) {
			return chunks;
		}
		switch (type) {
			case "message_start" -> messageStart(data.path("message"), chunks);
			case "content_block_start" -> blockStart(data, chunks);
			case "content_block_delta" -> blockDelta(data, chunks);
			case "message_delta" -> messageDelta(data, chunks);
			case "message_stop" -> chunks.add(usageChunk());
			case "error" -> {
				AnthropicErrors.Detail detail = AnthropicErrors.fromJson(data);
				throw detail != null ? new AnthropicStreamException(detail.type(), detail.message())
						: new AnthropicStreamException("api_error", "upstream stream failed");
			}
			// ping, content_block_stop and event types added later carry nothing a chat client needs
			default -> {
			}
		}
		return chunks;
	}

	private void messageStart(JsonNode message, List<ObjectNode> chunks) {
		String messageId = Json.string(message, "id");
		if (messageId != null) {
			this.id = messageId;
		}
		String messageModel = Json.string(message, "model");
		if (messageModel != null) {
			this.model = messageModel;
		}
		addUsage(message.path("usage"));
		ensureStarted(chunks);
	}

	private void blockStart(JsonNode event, List<ObjectNode> chunks) {
		ensureStarted(chunks);
		JsonNode block = event.path("content_block");
		String blockType = Json.string(block, "type");
		if ("text".equals(blockType)) {
			String text = block.path("text").asString("");
			if (!text.isEmpty()) {
				chunks.add(chunk(Json.object().put("content", text)));
			}
		}
		else if ("tool_use".equals(blockType)) {
			int toolIndex = this.toolCallIndexes.size();
			this.toolCallIndexes.put(event.path("index").asInt(), toolIndex);
			ObjectNode call = Json.object().put("index", toolIndex);
			call.put("id", block.path("id").asString(""));
			call.put("type", "function");
			call.putObject("function").put("name", block.path("name").asString("")).put("arguments", "");
			ObjectNode delta = Json.object();
			delta.putArray("tool_calls").add(call);
			chunks.add(chunk(delta));
		}
	}

	private void blockDelta(JsonNode event, List<ObjectNode> chunks) {
		ensureStarted(chunks);
		JsonNode delta = event.path("delta");
		String deltaType = Json.string(delta, "type");
		if ("text_delta".equals(deltaType)) {
			String text = delta.path("text").asString("");
			if (!text.isEmpty()) {
				chunks.add(chunk(Json.object().put("content", text)));
			}
		}
		else if ("input_json_delta".equals(deltaType)) {
			Integer toolIndex = this.toolCallIndexes.get(event.path("index").asInt());
			String partialJson = delta.path("partial_json").asString("");
			// Anthropic opens each tool input with an empty fragment, which says nothing
			if (toolIndex != null && !partialJson.isEmpty()) {
				ObjectNode call = Json.object().put("index", toolIndex);
				call.putObject("function").put("arguments", partialJson);
				ObjectNode chunkDelta = Json.object();
				chunkDelta.putArray("tool_calls").add(call);
				chunks.add(chunk(chunkDelta));
			}
		}
		else if ("thinking_delta".equals(deltaType)) {
			String thinking = delta.path("thinking").asString("");
			if (!thinking.isEmpty()) {
				chunks.add(chunk(Json.object().put("reasoning_content", thinking)));
			}
		}
		// signature and citation deltas have no chat completion counterpart
	}

	private void messageDelta(JsonNode event, List<ObjectNode> chunks) {
		ensureStarted(chunks);
		addUsage(event.path("usage"));
		ObjectNode chunk = chunk(Json.object());
		String finishReason = Mapping.finishReason(Json.string(event.path("delta"), "stop_reason"));
		((ObjectNode) chunk.get("choices").get(0)).put("finish_reason", finishReason);
		chunks.add(chunk);
	}

	/** Takes the counts a usage object has; later events carry cumulative counts, so they replace earlier ones. */
	private void addUsage(JsonNode usage) {
		this.inputTokens = count(usage, "input_tokens", this.inputTokens);
		this.cacheReadTokens = count(usage, "cache_read_input_tokens", this.cacheReadTokens);
		this.cacheCreationTokens = count(usage, "cache_creation_input_tokens", this.cacheCreationTokens);
		this.outputTokens = count(usage, "output_tokens", this.outputTokens);
	}

	private static long count(JsonNode usage, String field, long current) {
		Long value = Json.longValue(usage, field);
		return value != null ? Math.max(0, value) : current;
	}

	private void ensureStarted(List<ObjectNode> chunks) {
		if (!this.started) {
			this.started = true;
			chunks.add(chunk(Json.object().put("role", "assistant").put("content", "")));
		}
	}

	private ObjectNode chunk(ObjectNode delta) {
		ObjectNode chunk = header();
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs");
		choice.putNull("finish_reason");
		return chunk;
	}

	private ObjectNode usageChunk() {
		ObjectNode chunk = header();
		chunk.putArray("choices");
		chunk.set("usage", AnthropicToOpenAiResponse.usage(this.inputTokens, this.cacheReadTokens,
				this.cacheCreationTokens, this.outputTokens));
		return chunk;
	}

	private ObjectNode header() {
		return Json.object()
			.put("id", this.id)
			.put("object", "chat.completion.chunk")
			.put("created", this.created)
			.put("model", this.model);
	}

}
