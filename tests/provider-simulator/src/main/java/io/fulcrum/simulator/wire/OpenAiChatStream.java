package io.fulcrum.simulator.wire;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import tools.jackson.databind.node.ObjectNode;

/**
 * One streamed Chat Completion: {@code chat.completion.chunk} events, a role chunk first, one chunk per token,
 * a chunk with the {@code finish_reason}, a usage chunk with empty {@code choices} when the client asked for
 * {@code stream_options.include_usage}, then {@code data: [DONE]}.
 */
final class OpenAiChatStream implements ChatStream {

	private static final byte[] DONE = SseEvent.data(SseEvent.DONE).encode();

	private final ChatRequest request;

	private final boolean usageChunk;

	// Every chunk of a stream shares id, created and model: they are rendered once, around the delta.
	private final String header;

	private final String choicePrefix;

	private final String chunkSuffix;

	OpenAiChatStream(ChatRequest request, boolean reportUsage) {
		this.request = request;
		this.usageChunk = reportUsage && request.includeUsage();
		this.header = "{\"id\":" + JsonText.quote(Ids.next("chatcmpl-"))
				+ ",\"object\":\"chat.completion.chunk\",\"created\":" + System.currentTimeMillis() / 1000
				+ ",\"model\":" + JsonText.quote(request.model());
		this.choicePrefix = this.header + ",\"choices\":[{\"index\":0,\"delta\":";
		// With include_usage OpenAI sends "usage":null on every chunk but the last.
		this.chunkSuffix = request.includeUsage() ? "}],\"usage\":null}" : "}]}";
	}

	@Override
	public List<byte[]> opening() {
		return List.of(event(this.choicePrefix + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null"
				+ this.chunkSuffix));
	}

	@Override
	public byte[] token(String text) {
		return event(this.choicePrefix + "{\"content\":" + JsonText.quote(text) + "},\"finish_reason\":null"
				+ this.chunkSuffix);
	}

	@Override
	public List<byte[]> closing(StopReason stopReason, int outputTokens) {
		List<byte[]> events = new ArrayList<>(3);
		events.add(event(this.choicePrefix + "{},\"finish_reason\":\"" + stopReason.openAi() + "\""
				+ this.chunkSuffix));
		if (this.usageChunk) {
			ObjectNode usage = OpenAiChat.usage(this.request.promptTokens(), outputTokens);
			events.add(event(this.header + ",\"choices\":[],\"usage\":" + Json.text(usage) + "}"));
		}
		events.add(DONE);
		return events;
	}

	private static byte[] event(String json) {
		return SseEvent.data(json).encode();
	}

}
