package io.fulcrum.protocol.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Push decoder for a Server-Sent Events stream. Network reads split events and even UTF-8 characters at
 * arbitrary points, so the decoder keeps the unfinished line as bytes and only decodes whole lines.
 *
 * <p>Not thread-safe: one instance per stream, fed in order.
 */
public final class SseDecoder {

	private static final byte[] DATA = { 'd', 'a', 't', 'a' };

	/** The unfinished line carried over from the previous read; only lines split by a read boundary go here. */
	private byte[] pending = new byte[256];

	private int pendingLength;

	private @Nullable String event;

	private @Nullable String data;

	private @Nullable StringBuilder moreData;

	private boolean lastWasCr;

	/**
	 * Feeds the next bytes of the stream and returns the events they complete, in order. Lines are found by
	 * scanning for terminators and decoded straight from {@code bytes}, without copying them byte by byte.
	 */
	public List<SseEvent> feed(byte[] bytes) {
		List<SseEvent> events = new ArrayList<>(2);
		int lineStart = 0;
		for (int i = 0; i < bytes.length; i++) {
			byte b = bytes[i];
			if (b != '\n' && b != '\r') {
				continue;
			}
			boolean crlfTail = b == '\n' && this.lastWasCr && i == lineStart && this.pendingLength == 0;
			this.lastWasCr = b == '\r';
			if (crlfTail) {
				lineStart = i + 1; // the LF of a CRLF whose CR ended the previous line
				continue;
			}
			SseEvent completed;
			if (this.pendingLength > 0) {
				append(bytes, lineStart, i - lineStart);
				completed = endLine(this.pending, 0, this.pendingLength);
				this.pendingLength = 0;
			}
			else {
				completed = endLine(bytes, lineStart, i - lineStart);
			}
			if (completed != null) {
				events.add(completed);
			}
			lineStart = i + 1;
		}
		if (lineStart < bytes.length) {
			this.lastWasCr = false;
			append(bytes, lineStart, bytes.length - lineStart);
		}
		return events;
	}

	/** Ends the stream; an event not terminated by a blank line is still returned, as browsers do not. */
	public List<SseEvent> finish() {
		List<SseEvent> events = new ArrayList<>(1);
		if (this.pendingLength > 0) {
			endLine(this.pending, 0, this.pendingLength);
			this.pendingLength = 0;
		}
		if (this.data != null) {
			events.add(new SseEvent(this.event, joinedData()));
		}
		this.event = null;
		this.data = null;
		this.moreData = null;
		return events;
	}

	private void append(byte[] bytes, int from, int length) {
		if (this.pendingLength + length > this.pending.length) {
			this.pending = Arrays.copyOf(this.pending, Math.max(this.pending.length * 2, this.pendingLength + length));
		}
		System.arraycopy(bytes, from, this.pending, this.pendingLength, length);
		this.pendingLength += length;
	}

	private @Nullable SseEvent endLine(byte[] bytes, int from, int length) {
		if (length == 0) {
			if (this.data == null) {
				this.event = null;
				return null;
			}
			SseEvent completed = new SseEvent(this.event, joinedData());
			this.event = null;
			this.data = null;
			this.moreData = null;
			return completed;
		}
		if (bytes[from] == ':') {
			return null; // comment, used by servers as keep-alive
		}
		int end = from + length;
		int colon = from;
		while (colon < end && bytes[colon] != ':') {
			colon++;
		}
		int valueStart = Math.min(colon + 1, end);
		if (valueStart < end && bytes[valueStart] == ' ') {
			valueStart++;
		}
		if (Arrays.equals(bytes, from, colon, DATA, 0, DATA.length)) {
			String value = new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
			if (this.data == null) {
				this.data = value;
			}
			else {
				if (this.moreData == null) {
					this.moreData = new StringBuilder(this.data);
				}
				this.moreData.append('\n').append(value);
			}
		}
		else if (colon - from == 5 && new String(bytes, from, 5, StandardCharsets.US_ASCII).equals("event")) {
			this.event = new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
		}
		return null;
	}

	private String joinedData() {
		return (this.moreData != null) ? this.moreData.toString() : this.data;
	}

}
