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

	private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

	public static SseEvent data(String data) {
		return new SseEvent(null, data);
	}

	public boolean isDone() {
		return DONE.equals(this.data);
	}

	/** The event in wire form, terminated by the blank line that ends an SSE event. */
	public byte[] encode() {
		if (this.event == null && this.data.indexOf('\n') < 0) {
			// The common case (every OpenAI chunk): one data line, encoded without an intermediate string.
			byte[] payload = this.data.getBytes(StandardCharsets.UTF_8);
			byte[] out = new byte[DATA_PREFIX.length + payload.length + 2];
			System.arraycopy(DATA_PREFIX, 0, out, 0, DATA_PREFIX.length);
			System.arraycopy(payload, 0, out, DATA_PREFIX.length, payload.length);
			out[out.length - 2] = '\n';
			out[out.length - 1] = '\n';
			return out;
		}
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
