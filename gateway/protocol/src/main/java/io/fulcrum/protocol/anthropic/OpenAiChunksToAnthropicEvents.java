package io.fulcrum.protocol.anthropic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a canonical OpenAI chat completion stream into the Anthropic event stream Fulcrum sends on
 * {@code /v1/messages}: {@code message_start}, then for each content block {@code content_block_start}, its
 * deltas and {@code content_block_stop}, then {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}.
 *
 * <p>OpenAI streams text and tool calls as fragments of one delta, whereas Anthropic streams numbered blocks
 * one after another; a block is therefore closed when the next one starts. A tool call's block can only start
 * once its name is known, so argument fragments that come before the name are held back. The usage chunk
 * ({@code usage} with empty {@code choices}) arrives after the chunk with the finish reason, so the
 * {@code message_delta} waits for it, or for {@link #finish()} when the backend sends none.
 *
 * <p>Not thread-safe: one instance per stream, fed in order. Only the choice with index 0 is translated.
 */
public final class OpenAiChunksToAnthropicEvents {

	private final String model;

	private final long estimatedInputTokens;

	private boolean started;

	private boolean stopped;

	private int nextBlockIndex;

	/** The index of the block a {@code content_block_stop} is still owed for, or -1. */
	private int openBlock = -1;

	private boolean openBlockIsText;

	/** OpenAI tool call index to the Anthropic block that carries it. */
	private final Map<Integer, ToolBlock> toolBlocks = new HashMap<>();

	private @Nullable PendingTool pendingTool;

	private boolean sawToolCalls;

	private @Nullable String finishReason;

	private @Nullable String matchedStop;

	private @Nullable JsonNode usage;

	/**
	 * A translator for one stream whose {@code message_start} reports 0 input tokens unless the first chunk
	 * carries usage.
	 * @param model the model the client asked for, which the message reports
	 */
	public OpenAiChunksToAnthropicEvents(String model) {
		this(model, 0);
	}

	/**
	 * A translator for one stream.
	 * @param model the model the client asked for, which the message reports
	 * @param estimatedInputTokens the input tokens {@code message_start} reports when the first chunk carries no
	 * usage; the backend's count replaces it in {@code message_delta}
	 */
	public OpenAiChunksToAnthropicEvents(String model, long estimatedInputTokens) {
		this.model = model;
		this.estimatedInputTokens = Math.max(0, estimatedInputTokens);
	}

	/**
	 * The Anthropic {@code error} event that ends a stream which broke after it started.
	 * @param type Anthropic's error type, such as {@code overloaded_error} or {@code api_error}
	 * @param message the message for the client
	 * @return the event
	 */
	public static SseEvent error(String type, String message) {
		return new SseEvent("error", Json.text(AnthropicErrors.body(type, message)));
	}

	/**
	 * Translates the next chunk of the stream.
	 * @param chunk a {@code chat.completion.chunk} object
	 * @return the events it completes, in order; empty once {@code message_stop} has been produced
	 */
	public List<SseEvent> onChunk(JsonNode chunk) {
		List<SseEvent> events = new ArrayList<>(4);
		if (this.stopped) {
			return events;
		}
		JsonNode chunkUsage = chunk.get("usage");
		if (chunkUsage != null && chunkUsage.isObject()) {
			this.usage = chunkUsage;
		}
		if (!this.started) {
			start(Json.string(chunk, "id"), events);
		}
		JsonNode choices = chunk.path("choices");
		for (JsonNode choice : choices) {
			if (choice.path("index").asInt(0) == 0) {
				onChoice(choice, events);
			}
		}
		if (this.finishReason != null && choices.isEmpty() && this.usage != null) {
			end(events);
		}
		return events;
	}

	/**
	 * Ends the stream: closes the open block and produces {@code message_delta} and {@code message_stop} unless
	 * the usage chunk already did. Call it when the backend's stream ends ({@code [DONE]}).
	 * @return the closing events, in order; empty when the stream was already complete
	 */
	public List<SseEvent> finish() {
		List<SseEvent> events = new ArrayList<>(4);
		if (this.stopped) {
			return events;
		}
		if (!this.started) {
			start(null, events);
		}
		end(events);
		return events;
	}

	private void onChoice(JsonNode choice, List<SseEvent> events) {
		JsonNode delta = choice.path("delta");
		String content = Json.string(delta, "content");
		if (content != null && !content.isEmpty()) {
			text(content, events);
		}
		JsonNode toolCalls = delta.path("tool_calls");
		for (int i = 0; i < toolCalls.size(); i++) {
			toolCall(toolCalls.get(i), i, events);
		}
		String reason = Json.string(choice, "finish_reason");
		if (reason != null) {
			this.finishReason = reason;
			this.matchedStop = Mapping.matchedStopSequence(choice);
			closeBlock(events);
		}
	}

	private void start(@Nullable String chunkId, List<SseEvent> events) {
		this.started = true;
		ObjectNode message = Json.object();
		message.put("id", Mapping.messageId(chunkId));
		message.put("type", "message");
		message.put("role", "assistant");
		message.put("model", this.model);
		message.putArray("content");
		message.putNull("stop_reason");
		message.putNull("stop_sequence");
		message.set("usage", usage());
		ObjectNode event = Json.object().put("type", "message_start");
		event.set("message", message);
		events.add(event(event));
	}

	private void text(String text, List<SseEvent> events) {
		if (this.pendingTool != null || this.openBlock < 0 || !this.openBlockIsText) {
			closeBlock(events);
			ObjectNode block = Json.object().put("type", "text").put("text", "");
			openBlock(block, true, events);
		}
		ObjectNode delta = Json.object().put("type", "text_delta").put("text", text);
		events.add(blockDelta(this.openBlock, delta));
	}

	private void toolCall(JsonNode call, int position, List<SseEvent> events) {
		// backends that send a single call at a time sometimes omit the index
		int index = call.path("index").asInt(position);
		String id = Json.string(call, "id");
		JsonNode function = call.path("function");
		String name = Json.string(function, "name");
		String arguments = Json.string(function, "arguments");
		ToolBlock block = this.toolBlocks.get(index);
		boolean isPending = this.pendingTool != null && this.pendingTool.index == index;
		boolean isNew = isPending ? false
				: block == null || (id != null && !id.isEmpty() && !id.equals(block.id));
		if (isNew) {
			closeBlock(events);
			this.pendingTool = new PendingTool(index);
			isPending = true;
		}
		if (isPending) {
			PendingTool pending = this.pendingTool;
			if (id != null && !id.isEmpty() && pending.id == null) {
				pending.id = id;
			}
			if (name != null && !name.isEmpty()) {
				pending.name = name;
			}
			if (arguments != null) {
				pending.arguments.append(arguments);
			}
			if (pending.name != null) {
				startTool(events);
			}
			return;
		}
		if (arguments != null && !arguments.isEmpty()) {
			// normally the open block; a fragment for an earlier call (interleaved parallel calls) still goes
			// to that call's block, which accumulating clients handle
			events.add(blockDelta(block.blockIndex, inputJsonDelta(arguments)));
		}
	}

	private void startTool(List<SseEvent> events) {
		PendingTool pending = this.pendingTool;
		if (pending == null) {
			return;
		}
		this.pendingTool = null;
		String id = pending.id != null ? pending.id : Mapping.toolUseId();
		ObjectNode block = Json.object().put("type", "tool_use").put("id", id);
		block.put("name", pending.name != null ? pending.name : "");
		block.putObject("input");
		openBlock(block, false, events);
		this.toolBlocks.put(pending.index, new ToolBlock(this.openBlock, pending.id));
		this.sawToolCalls = true;
		if (!pending.arguments.isEmpty()) {
			events.add(blockDelta(this.openBlock, inputJsonDelta(pending.arguments.toString())));
		}
	}

	private void openBlock(ObjectNode contentBlock, boolean text, List<SseEvent> events) {
		this.openBlock = this.nextBlockIndex++;
		this.openBlockIsText = text;
		ObjectNode event = Json.object().put("type", "content_block_start").put("index", this.openBlock);
		event.set("content_block", contentBlock);
		events.add(event(event));
	}

	private void closeBlock(List<SseEvent> events) {
		// a tool call whose name never came still gets its block rather than losing its arguments
		startTool(events);
		if (this.openBlock >= 0) {
			events.add(event(Json.object().put("type", "content_block_stop").put("index", this.openBlock)));
			this.openBlock = -1;
		}
	}

	private void end(List<SseEvent> events) {
		closeBlock(events);
		String stopReason = OpenAiToAnthropicResponse.stopReason(this.finishReason, this.matchedStop,
				this.sawToolCalls);
		ObjectNode event = Json.object().put("type", "message_delta");
		ObjectNode delta = event.putObject("delta").put("stop_reason", stopReason);
		if (stopReason.equals("stop_sequence")) {
			delta.put("stop_sequence", this.matchedStop);
		}
		else {
			delta.putNull("stop_sequence");
		}
		event.set("usage", usage());
		events.add(event(event));
		events.add(event(Json.object().put("type", "message_stop")));
		this.stopped = true;
	}

	private ObjectNode usage() {
		if (this.usage == null) {
			return Json.object()
				.put("input_tokens", this.estimatedInputTokens)
				.put("cache_creation_input_tokens", 0)
				.put("cache_read_input_tokens", 0)
				.put("output_tokens", 0);
		}
		return OpenAiToAnthropicResponse.usage(this.usage);
	}

	private static ObjectNode inputJsonDelta(String partialJson) {
		return Json.object().put("type", "input_json_delta").put("partial_json", partialJson);
	}

	private static SseEvent blockDelta(int index, ObjectNode delta) {
		ObjectNode event = Json.object().put("type", "content_block_delta").put("index", index);
		event.set("delta", delta);
		return event(event);
	}

	/** The SSE event for an Anthropic event object, named after its type as Anthropic's streams are. */
	private static SseEvent event(ObjectNode event) {
		return new SseEvent(event.get("type").asString(), Json.text(event));
	}

	private record ToolBlock(int blockIndex, @Nullable String id) {
	}

	private static final class PendingTool {

		final int index;

		@Nullable String id;

		@Nullable String name;

		final StringBuilder arguments = new StringBuilder();

		PendingTool(int index) {
			this.index = index;
		}

	}

}
