package io.fulcrum.backend.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of token bytes into text for streaming: each {@link #append} gives the text that is complete so far
 * and holds back the start of a multi-byte UTF-8 character until the tokens that finish it arrive. Malformed bytes
 * become U+FFFD. Not thread-safe: one per stream.
 */
public final class Utf8StreamDecoder {

	private byte[] pending = new byte[0];

	/** Adds a token's bytes; returns the complete text they end (possibly empty). */
	public String append(byte[] bytes) {
		byte[] all = (this.pending.length == 0) ? bytes : concat(this.pending, bytes);
		int complete = completeLength(all);
		this.pending = Arrays.copyOfRange(all, complete, all.length);
		return new String(all, 0, complete, StandardCharsets.UTF_8);
	}

	/** Adds a token's bytes, looked up in the tokenizer; returns the complete text they end. */
	public String append(TextTokenizer tokenizer, int token) {
		return append(tokenizer.tokenBytes(token));
	}

	/** The bytes held back, at the end of the stream: an incomplete character becomes U+FFFD. */
	public String flush() {
		String rest = new String(this.pending, StandardCharsets.UTF_8);
		this.pending = new byte[0];
		return rest;
	}

	/** Whether bytes of an unfinished character are held back. */
	public boolean hasPending() {
		return this.pending.length > 0;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] all = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	/**
	 * The length of the prefix that ends on a character boundary: all of it, unless it ends with a lead byte and
	 * fewer continuation bytes than that lead byte announces.
	 */
	private static int completeLength(byte[] bytes) {
		int n = bytes.length;
		for (int back = 1; back <= Math.min(4, n); back++) {
			int b = bytes[n - back] & 0xFF;
			if ((b & 0xC0) == 0x80) {
				continue; // a continuation byte: look further back for its lead byte
			}
			int needed = (b >= 0xC2 && b <= 0xDF) ? 2 : (b >= 0xE0 && b <= 0xEF) ? 3 : (b >= 0xF0 && b <= 0xF4) ? 4 : 1;
			return (back < needed) ? n - back : n;
		}
		return n;
	}

}
