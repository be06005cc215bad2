package io.fulcrum.simulator.wire;

import java.util.List;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import tools.jackson.databind.node.ObjectNode;

/**
 * One streamed Anthropic message, with Anthropic's named events: {@code message_start},
 * {@code content_block_start}, {@code ping}, a {@code content_block_delta} per token, {@code content_block_stop},
 * {@code message_delta} with the stop reason and output tokens, and {@code message_stop}.
 */
final class AnthropicMessageStream implements ChatStream {

	private static final byte[] CONTENT_BLOCK_START = event("content_block_start",
			"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");

	private static final byte[] PING = event("ping", "{\"type\":\"ping\"}");

	private static final byte[] CONTENT_BLOCK_STOP = event("content_block_stop",
			"{\"type\":\"content_block_stop\",\"index\":0}");

	private static final byte[] MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

	private static final String DELTA_PREFIX = "{\"type\":\"content_block_delta\",\"index\":0,"
			+ "\"delta\":{\"type\":\"text_delta\",\"text\":";

	private final ChatRequest request;

	private final boolean reportUsage;

	AnthropicMessageStream(ChatRequest request, boolean reportUsage) {
		this.request = request;
		this.reportUsage = reportUsage;
	}

	@Override
	public List<byte[]> opening() {
		ObjectNode message = AnthropicMessages.message(this.request, Ids.next("msg_"));
		if (this.reportUsage) {
			// Anthropic reports the input tokens up front and a placeholder output count.
			message.set("usage", AnthropicMessages.usage(this.request.promptTokens(), 1));
		}
		ObjectNode start = Json.object();
		start.put("type", "message_start");
		start.set("message", message);
		return List.of(event("message_start", Json.text(start)), CONTENT_BLOCK_START, PING);
	}

	@Override
	public byte[] token(String text) {
		return event("content_block_delta", DELTA_PREFIX + JsonText.quote(text) + "}}");
	}

	@Override
	public List<byte[]> closing(StopReason stopReason, int outputTokens) {
		ObjectNode delta = Json.object();
		delta.put("type", "message_delta");
		delta.putObject("delta").put("stop_reason", stopReason.anthropic()).putNull("stop_sequence");
		if (this.reportUsage) {
			delta.putObject("usage").put("output_tokens", outputTokens);
		}
		return List.of(CONTENT_BLOCK_STOP, event("message_delta", Json.text(delta)), MESSAGE_STOP);
	}

	private static byte[] event(String name, String json) {
		return new SseEvent(name, json).encode();
	}

}
