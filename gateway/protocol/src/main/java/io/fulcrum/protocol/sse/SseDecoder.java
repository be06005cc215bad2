package io.fulcrum.protocol.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Push decoder for a Server-Sent Events stream. Network reads split events and even UTF-8 characters at
 * arbitrary points, so the decoder keeps the unfinished line as bytes and only decodes whole lines.
 *
 * <p>Not thread-safe: one instance per stream, fed in order.
 */
public final class SseDecoder {

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

	private @Nullable String event;

	private @Nullable StringBuilder data;

	private boolean lastWasCr;

	/** Feeds the next bytes of the stream and returns the events they complete, in order. */
	public List<SseEvent> feed(byte[] bytes) {
		List<SseEvent> events = new ArrayList<>(2);
		for (byte b : bytes) {
			if (b == '\n' && this.lastWasCr) {
				this.lastWasCr = false;
				continue;
			}
			this.lastWasCr = b == '\r';
			if (b == '\n' || b == '\r') {
				SseEvent completed = endLine();
				if (completed != null) {
					events.add(completed);
				}
			}
			else {
				this.line.write(b);
			}
		}
		return events;
	}

	/** Ends the stream; an event not terminated by a blank line is still returned, as browsers do not. */
	public List<SseEvent> finish() {
		List<SseEvent> events = new ArrayList<>(1);
		if (this.line.size() > 0) {
			endLine();
		}
		if (this.data != null) {
			events.add(new SseEvent(this.event, this.data.toString()));
		}
		this.event = null;
		this.data = null;
		return events;
	}

	private @Nullable SseEvent endLine() {
		String text = this.line.toString(StandardCharsets.UTF_8);
		this.line.reset();
		if (text.isEmpty()) {
			if (this.data == null) {
				this.event = null;
				return null;
			}
			SseEvent completed = new SseEvent(this.event, this.data.toString());
			this.event = null;
			this.data = null;
			return completed;
		}
		if (text.charAt(0) == ':') {
			return null; // comment, used by servers as keep-alive
		}
		int colon = text.indexOf(':');
		String field = colon < 0 ? text : text.substring(0, colon);
		String value = colon < 0 ? "" : text.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		if (field.equals("data")) {
			if (this.data == null) {
				this.data = new StringBuilder(value);
			}
			else {
				this.data.append('\n').append(value);
			}
		}
		else if (field.equals("event")) {
			this.event = value;
		}
		return null;
	}

}
