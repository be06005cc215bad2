package io.fulcrum.backend.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;

import io.fulcrum.backend.gguf.GgufFile;

/**
 * SentencePiece-style BPE with byte fallback ({@code tokenizer.ggml.model = "llama"}: Llama 1 and 2, Mistral,
 * TinyLlama, llama2.c's stories models), run as llama.cpp's {@code llm_tokenizer_spm} runs it.
 * <p>
 * Each stretch of plain text gets a space in front when {@code tokenizer.ggml.add_space_prefix} is true (the
 * default) and the stretch starts the input or follows a special token, as llama.cpp does; then every space becomes
 * {@code ▁} (U+2581; other whitespace is left alone). The text is cut into characters and adjacent symbols are merged
 * while some pair's concatenation is in the vocabulary, highest score first (ties: the leftmost pair). A symbol left
 * over that is not a token becomes one {@code <0xNN>} byte token per UTF-8 byte, or the unknown token where the
 * vocabulary has no byte tokens.
 * <p>
 * Unlike llama.cpp, merges never form control or unknown tokens (so {@code <s>} written in the text stays plain text
 * unless parsed as special), and llama.cpp's re-segmentation of merged symbols that are not tokens is left out: a
 * merge only ever forms a vocabulary token, so it never applies.
 */
public final class SentencePieceBpeTokenizer extends VocabularyTokenizer {

	private static final char SPACE_MARK = '\u2581';

	private final float[] scores;

	/** The tokens merges may form and symbols may resolve to: all but control and unknown tokens. */
	private final Map<String, Integer> pieces;

	/** The token of each byte, or -1. */
	private final int[] byteTokens = new int[256];

	private final boolean addSpacePrefix;

	private final byte[][] bytes;

	private SentencePieceBpeTokenizer(GgufFile gguf) {
		super(gguf, true);
		float[] fileScores = gguf.floats("tokenizer.ggml.scores");
		this.scores = new float[this.tokens.length];
		if (fileScores != null) {
			System.arraycopy(fileScores, 0, this.scores, 0, Math.min(fileScores.length, this.scores.length));
		}
		this.pieces = idsByText(NORMAL, USER_DEFINED, UNUSED, BYTE);
		Map<String, Integer> all = idsByText(NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE);
		for (int b = 0; b < 256; b++) {
			Integer id = all.get(String.format("<0x%02X>", b));
			if (id == null && b < 0x80) {
				id = this.pieces.get(String.valueOf((char) b));
			}
			this.byteTokens[b] = (id != null) ? id : this.unk;
		}
		this.addSpacePrefix = gguf.bool("tokenizer.ggml.add_space_prefix", true);
		this.bytes = new byte[this.tokens.length][];
		for (int i = 0; i < this.tokens.length; i++) {
			this.bytes[i] = decodeToken(i);
		}
	}

	/** Reads the vocabulary, scores and token types from a GGUF file's metadata. */
	public static SentencePieceBpeTokenizer from(GgufFile gguf) {
		return new SentencePieceBpeTokenizer(gguf);
	}

	/** Whether plain text that starts the input or follows a special token gets a space in front. */
	public boolean addSpacePrefix() {
		return this.addSpacePrefix;
	}

	private byte[] decodeToken(int id) {
		String text = this.tokens[id];
		return switch (this.types[id]) {
			case NORMAL -> text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
			case USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
			case BYTE -> new byte[] { (byte) Integer.parseInt(text.substring(3, 5), 16) };
			default -> new byte[0]; // control, unknown, unused: suppressed, as llama.cpp's token_to_piece does
		};
	}

	@Override
	public byte[] tokenBytes(int id) {
		checkId(id);
		return this.bytes[id].clone();
	}

	private record Bigram(float score, int left, int right, int size) {
	}

	@Override
	void encodePlain(String fragment, boolean afterSpecial, Ids out) {
		String text = ((this.addSpacePrefix && afterSpecial) ? " " + fragment : fragment).replace(' ', SPACE_MARK);
		int n = text.codePointCount(0, text.length());
		int[] start = new int[n];
		int[] length = new int[n];
		int[] prev = new int[n];
		int[] next = new int[n];
		for (int i = 0, offset = 0; i < n; i++) {
			int chars = Character.charCount(text.codePointAt(offset));
			start[i] = offset;
			length[i] = chars;
			prev[i] = i - 1;
			next[i] = (i == n - 1) ? -1 : i + 1;
			offset += chars;
		}
		PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> (a.score != b.score)
				? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
		for (int i = 1; i < n; i++) {
			tryAddBigram(text, start, length, i - 1, i, queue);
		}
		while (!queue.isEmpty()) {
			Bigram bigram = queue.poll();
			int left = bigram.left;
			int right = bigram.right;
			if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.size) {
				continue; // one side has been merged since this pair was queued
			}
			length[left] += length[right];
			length[right] = 0;
			next[left] = next[right];
			if (next[right] >= 0) {
				prev[next[right]] = left;
			}
			tryAddBigram(text, start, length, prev[left], left, queue);
			tryAddBigram(text, start, length, left, next[left], queue);
		}
		for (int i = 0; i != -1; i = next[i]) {
			String symbol = text.substring(start[i], start[i] + length[i]);
			Integer id = this.pieces.get(symbol);
			if (id != null) {
				out.add(id);
				continue;
			}
			for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
				int token = this.byteTokens[b & 0xFF];
				if (token < 0) {
					throw new IllegalArgumentException("cannot encode " + symbol
							+ ": the vocabulary has neither it, nor byte tokens, nor an unknown token");
				}
				out.add(token);
			}
		}
	}

	private void tryAddBigram(String text, int[] start, int[] length, int left, int right,
			PriorityQueue<Bigram> queue) {
		if (left < 0 || right < 0) {
			return;
		}
		int size = length[left] + length[right];
		Integer id = this.pieces.get(text.substring(start[left], start[left] + size));
		if (id != null) {
			queue.add(new Bigram(this.scores[id], left, right, size));
		}
	}

}
