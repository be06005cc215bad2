package io.fulcrum.protocol.sse;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event: an optional event name and its data (multi-line data joined with {@code \n}).
 *
 * @param event the {@code event:} field, or {@code null} when the event has none (OpenAI's streams)
 * @param data the {@code data:} payload
 */
public record SseEvent(@Nullable String event, String data) {

	/** OpenAI's end-of-stream sentinel. */
	public static final String DONE = "[DONE]";

	public static SseEvent data(String data) {
		return new SseEvent(null, data);
	}

	public boolean isDone() {
		return DONE.equals(this.data);
	}

	/** The event in wire form, terminated by the blank line that ends an SSE event. */
	public byte[] encode() {
		StringBuilder out = new StringBuilder(this.data.length() + 32);
		if (this.event != null) {
			out.append("event: ").append(this.event).append('\n');
		}
		int start = 0;
		int newline;
		while ((newline = this.data.indexOf('\n', start)) >= 0) {
			out.append("data: ").append(this.data, start, newline).append('\n');
			start = newline + 1;
		}
		out.append("data: ").append(this.data, start, this.data.length()).append("\n\n");
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

}
