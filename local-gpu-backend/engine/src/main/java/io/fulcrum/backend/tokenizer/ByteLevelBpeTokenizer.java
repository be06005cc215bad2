package io.fulcrum.backend.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fulcrum.backend.gguf.GgufFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPT-2-style byte-level BPE ({@code tokenizer.ggml.model = "gpt2"}: Llama 3, Qwen 2, GPT-2 and kin), run as
 * llama.cpp's {@code llm_tokenizer_bpe} and Hugging Face's ByteLevel BPE run it.
 * <p>
 * Plain text is cut into words by the pre-tokenizer regex that {@code tokenizer.ggml.pre} names
 * ({@link PreTokenizer}), each word's UTF-8 bytes are written as GPT-2's printable byte symbols, and adjacent symbols
 * are merged by {@code tokenizer.ggml.merges}, lowest rank (index) first, ties to the leftmost pair. Llama 3
 * ({@code ignore_merges}) takes a whole word that is itself a token as is. Words' ids are cached.
 */
public final class ByteLevelBpeTokenizer extends VocabularyTokenizer {

	private static final Logger log = LoggerFactory.getLogger(ByteLevelBpeTokenizer.class);

	private static final int CACHE_LIMIT = 65_536;

	/** GPT-2's bytes_to_unicode: each byte as a printable character, and back. */
	private static final char[] BYTE_TO_CHAR = new char[256];

	private static final Map<Character, Byte> CHAR_TO_BYTE = new HashMap<>();

	static {
		int extra = 0;
		for (int b = 0; b < 256; b++) {
			boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
			BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + extra++);
			CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], (byte) b);
		}
	}

	/** The pre-tokenizers of {@code tokenizer.ggml.pre} that are supported: their split regexes. */
	public enum PreTokenizer {

		/** GPT-2's own regex: {@code "gpt-2"}, {@code "default"} or no {@code tokenizer.ggml.pre}. */
		GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", false),

		/** Llama 3's ({@code "llama-bpe"} or {@code "llama3"}): numbers in groups of up to three digits. */
		LLAMA3("(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
				+ "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", true),

		/** Qwen 2's ({@code "qwen2"}): as Llama 3's, but every digit on its own. */
		QWEN2("(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
				+ "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", false);

		private final Pattern pattern;

		private final boolean ignoreMerges;

		PreTokenizer(String regex, boolean ignoreMerges) {
			// \s as Unicode's White_Space, like the Oniguruma and Rust regexes the reference implementations use.
			this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
			this.ignoreMerges = ignoreMerges;
		}

		/** The regex words are cut with. */
		public Pattern pattern() {
			return this.pattern;
		}

		/**
		 * The pre-tokenizer a {@code tokenizer.ggml.pre} value names; GPT-2's for an unknown name (with a warning)
		 * or none.
		 */
		public static PreTokenizer named(String pre) {
			return switch (pre) {
				case "llama-bpe", "llama3" -> LLAMA3;
				case "qwen2" -> QWEN2;
				case "gpt-2", "default", "" -> GPT2;
				default -> {
					log.warn("tokenizer.ggml.pre {} is not supported: splitting words with GPT-2's regex instead", pre);
					yield GPT2;
				}
			};
		}

	}

	private final Map<String, Integer> vocab;

	private final Map<String, Integer> ranks;

	private final PreTokenizer preTokenizer;

	private final byte[][] bytes;

	private final Map<String, int[]> cache = new ConcurrentHashMap<>();

	private ByteLevelBpeTokenizer(GgufFile gguf) {
		super(gguf, false);
		this.vocab = idsByText(NORMAL, USER_DEFINED, UNUSED, BYTE);
		List<String> merges = gguf.strings("tokenizer.ggml.merges");
		this.ranks = new HashMap<>(merges.size() * 2);
		for (int rank = 0; rank < merges.size(); rank++) {
			String merge = merges.get(rank);
			int space = merge.indexOf(' ', 1);
			if (space < 0) {
				throw new IllegalArgumentException("tokenizer.ggml.merges[" + rank + "] is not two symbols: " + merge);
			}
			this.ranks.putIfAbsent(merge.substring(0, space) + ' ' + merge.substring(space + 1), rank);
		}
		this.preTokenizer = PreTokenizer.named(gguf.string("tokenizer.ggml.pre", "default"));
		this.bytes = new byte[this.tokens.length][];
		for (int i = 0; i < this.tokens.length; i++) {
			this.bytes[i] = decodeToken(i);
		}
	}

	/** Reads the vocabulary, merges, token types and pre-tokenizer from a GGUF file's metadata. */
	public static ByteLevelBpeTokenizer from(GgufFile gguf) {
		return new ByteLevelBpeTokenizer(gguf);
	}

	/** The pre-tokenizer {@code tokenizer.ggml.pre} chose. */
	public PreTokenizer preTokenizer() {
		return this.preTokenizer;
	}

	private byte[] decodeToken(int id) {
		String text = this.tokens[id];
		return switch (this.types[id]) {
			case CONTROL, UNKNOWN -> new byte[0];
			case USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
			default -> {
				ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
				for (int i = 0; i < text.length(); i++) {
					Byte b = CHAR_TO_BYTE.get(text.charAt(i));
					if (b != null) {
						out.write(b);
					}
					else { // not a byte symbol: the character as it is
						int cp = text.codePointAt(i);
						out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
						i += Character.charCount(cp) - 1;
					}
				}
				yield out.toByteArray();
			}
		};
	}

	@Override
	public byte[] tokenBytes(int id) {
		checkId(id);
		return this.bytes[id].clone();
	}

	@Override
	void encodePlain(String text, boolean afterSpecial, Ids out) {
		Matcher matcher = this.preTokenizer.pattern.matcher(text);
		int end = 0;
		while (matcher.find()) {
			if (matcher.start() > end) { // nothing the regexes leave out, but kept as Hugging Face's Split keeps it
				encodeWord(text.substring(end, matcher.start()), out);
			}
			encodeWord(matcher.group(), out);
			end = matcher.end();
		}
		if (end < text.length()) {
			encodeWord(text.substring(end), out);
		}
	}

	private void encodeWord(String word, Ids out) {
		int[] ids = this.cache.get(word);
		if (ids == null) {
			ids = bpe(word);
			if (this.cache.size() >= CACHE_LIMIT) {
				this.cache.clear();
			}
			this.cache.put(word, ids);
		}
		out.addAll(ids);
	}

	private record Bigram(int rank, int left, int right, int size) {
	}

	private int[] bpe(String word) {
		byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
		char[] symbols = new char[utf8.length];
		for (int i = 0; i < utf8.length; i++) {
			symbols[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
		}
		String text = new String(symbols);
		Ids out = new Ids();
		if (this.preTokenizer.ignoreMerges) {
			Integer id = this.vocab.get(text);
			if (id != null) {
				out.add(id);
				return out.toArray();
			}
		}
		// One byte symbol per char: symbol i starts at char i; merged symbols grow to the right.
		int n = text.length();
		int[] length = new int[n];
		int[] prev = new int[n];
		int[] next = new int[n];
		for (int i = 0; i < n; i++) {
			length[i] = 1;
			prev[i] = i - 1;
			next[i] = (i == n - 1) ? -1 : i + 1;
		}
		PriorityQueue<Bigram> queue = new PriorityQueue<>(
				(a, b) -> (a.rank != b.rank) ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
		for (int i = 1; i < n; i++) {
			tryAddBigram(text, length, i - 1, i, queue);
		}
		while (!queue.isEmpty()) {
			Bigram bigram = queue.poll();
			int left = bigram.left;
			int right = bigram.right;
			if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.size) {
				continue;
			}
			length[left] += length[right];
			length[right] = 0;
			next[left] = next[right];
			if (next[right] >= 0) {
				prev[next[right]] = left;
			}
			tryAddBigram(text, length, prev[left], left, queue);
			tryAddBigram(text, length, left, next[left], queue);
		}
		for (int i = 0; i != -1; i = next[i]) {
			String symbol = text.substring(i, i + length[i]);
			Integer id = this.vocab.get(symbol);
			if (id != null) {
				out.add(id);
				continue;
			}
			for (int c = 0; c < symbol.length(); c++) {
				Integer byteId = this.vocab.get(String.valueOf(symbol.charAt(c)));
				int token = (byteId != null) ? byteId : this.unk;
				if (token < 0) {
					throw new IllegalArgumentException(
							"cannot encode the byte symbol " + symbol.charAt(c) + ": it is not in the vocabulary");
				}
				out.add(token);
			}
		}
		return out.toArray();
	}

	private void tryAddBigram(String text, int[] length, int left, int right, PriorityQueue<Bigram> queue) {
		if (left < 0 || right < 0) {
			return;
		}
		Integer rank = this.ranks.get(text.substring(left, left + length[left]) + ' '
				+ text.substring(right, right + length[right]));
		if (rank != null) {
			queue.add(new Bigram(rank, left, right, length[left] + length[right]));
		}
	}

}
