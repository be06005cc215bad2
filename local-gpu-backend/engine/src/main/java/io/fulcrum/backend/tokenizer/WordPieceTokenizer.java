package io.fulcrum.backend.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.fulcrum.backend.tokenizer.BertCharacters.isChinese;
import static io.fulcrum.backend.tokenizer.BertCharacters.isControl;
import static io.fulcrum.backend.tokenizer.BertCharacters.isNonSpacingMark;
import static io.fulcrum.backend.tokenizer.BertCharacters.isPunctuation;
import static io.fulcrum.backend.tokenizer.BertCharacters.isWhitespace;

/**
 * BERT's WordPiece tokenizer, run as Hugging Face's tokenizers library runs a {@code tokenizer.json} with a WordPiece
 * model, a BertNormalizer and a BertPreTokenizer (all-MiniLM-L6-v2, bert-base-uncased and kin): the same ids for the
 * same text.
 * <p>
 * {@link #tokenize} gives the word pieces only: no [CLS]/[SEP], no truncation, no padding, whatever the file says about
 * those, because the caller adds the special tokens and cuts windows itself. Added tokens (such as a literal
 * {@code [SEP]} in the text) are matched on the raw text first, as Hugging Face does. Immutable once loaded: one
 * instance serves any number of threads.
 */
public final class WordPieceTokenizer {

	/** Tokens as ids: whole words, and the rest of a {@code ##piece} keyed without its prefix. */
	private final PieceTable words;

	private final PieceTable continuations;

	private final String[] tokens;

	private final int unk;

	private final int cls;

	private final int sep;

	private final int pad;

	private final int maxInputCharsPerWord;

	private final boolean cleanText;

	private final boolean handleChineseChars;

	private final boolean stripAccents;

	private final boolean lowercase;

	/** Added tokens, longest first so that the first one matching at a position is the longest there. */
	private final AddedToken[] addedTokens;

	/** Characters that start some added token, for a cheap test before trying the tokens. */
	private final String addedTokenFirstChars;

	private WordPieceTokenizer(Map<String, Integer> vocab, String prefix, String unkToken, int maxInputCharsPerWord,
			boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase,
			List<AddedToken> addedTokens, int cls, int sep, int pad) {
		int maxId = -1;
		for (int id : vocab.values()) {
			if (id < 0) {
				throw new IllegalArgumentException("negative token id " + id + " in the vocabulary");
			}
			maxId = Math.max(maxId, id);
		}
		for (AddedToken t : addedTokens) {
			if (t.id() < 0) {
				throw new IllegalArgumentException("negative id " + t.id() + " for the added token " + t.content());
			}
			maxId = Math.max(maxId, t.id());
		}
		this.tokens = new String[maxId + 1];
		// Added tokens may lie outside the model's vocabulary; tokenize() can return their ids all the same.
		for (AddedToken t : addedTokens) {
			this.tokens[t.id()] = t.content();
		}
		List<Map.Entry<String, Integer>> continued = new ArrayList<>();
		for (Map.Entry<String, Integer> e : vocab.entrySet()) {
			this.tokens[e.getValue()] = e.getKey();
			if (!prefix.isEmpty() && e.getKey().length() > prefix.length() && e.getKey().startsWith(prefix)) {
				continued.add(Map.entry(e.getKey().substring(prefix.length()), e.getValue()));
			}
		}
		this.words = new PieceTable(new ArrayList<>(vocab.entrySet()));
		// An empty prefix means a continuation is looked up as it stands, like a word.
		this.continuations = prefix.isEmpty() ? this.words : new PieceTable(continued);
		Integer unkId = vocab.get(unkToken);
		if (unkId == null) {
			throw new IllegalArgumentException("the unknown token '" + unkToken + "' is not in the vocabulary");
		}
		this.unk = unkId;
		this.cls = cls;
		this.sep = sep;
		this.pad = pad;
		this.maxInputCharsPerWord = maxInputCharsPerWord;
		this.cleanText = cleanText;
		this.handleChineseChars = handleChineseChars;
		this.stripAccents = stripAccents;
		this.lowercase = lowercase;
		this.addedTokens = addedTokens.stream()
				.sorted(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed())
				.toArray(AddedToken[]::new);
		StringBuilder first = new StringBuilder();
		for (AddedToken t : this.addedTokens) {
			if (first.indexOf(String.valueOf(t.content().charAt(0))) < 0) {
				first.append(t.content().charAt(0));
			}
		}
		this.addedTokenFirstChars = first.toString();
	}

	/**
	 * Reads a Hugging Face {@code tokenizer.json}.
	 *
	 * @throws IllegalArgumentException when the model is not WordPiece, the normalizer not BertNormalizer (or none), the
	 *         pre-tokenizer not BertPreTokenizer, or the file lacks what these need
	 * @throws IOException when the stream cannot be read or is not JSON
	 */
	public static WordPieceTokenizer fromJson(InputStream tokenizerJson) throws IOException {
		JsonNode root;
		try {
			root = JsonMapper.shared().readTree(tokenizerJson);
		}
		catch (JacksonException ex) {
			throw new IOException("tokenizer.json is not readable JSON: " + ex.getOriginalMessage(), ex);
		}
		JsonNode model = root.path("model");
		String modelType = model.path("type").asString("");
		if (!"WordPiece".equals(modelType)) {
			throw new IllegalArgumentException(
					"unsupported tokenizer model type '" + modelType + "': only WordPiece is supported");
		}
		JsonNode vocabNode = model.path("vocab");
		if (!vocabNode.isObject() || vocabNode.isEmpty()) {
			throw new IllegalArgumentException("the WordPiece model has no vocabulary (model.vocab)");
		}
		Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
		for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
			vocab.put(e.getKey(), e.getValue().asInt());
		}

		// No normalizer: nothing. BertNormalizer: Hugging Face's defaults for what the file leaves out, which are all
		// on, strip_accents following lowercase.
		boolean cleanText = false;
		boolean chinese = false;
		boolean lowercase = false;
		boolean stripAccents = false;
		JsonNode normalizer = root.path("normalizer");
		if (!normalizer.isMissingNode() && !normalizer.isNull()) {
			String type = normalizer.path("type").asString("");
			if (!"BertNormalizer".equals(type)) {
				throw new IllegalArgumentException(
						"unsupported normalizer type '" + type + "': only BertNormalizer (or none) is supported");
			}
			cleanText = flag(normalizer, "clean_text", true);
			chinese = flag(normalizer, "handle_chinese_chars", true);
			lowercase = flag(normalizer, "lowercase", true);
			stripAccents = flag(normalizer, "strip_accents", lowercase);
		}
		String preTokenizer = root.path("pre_tokenizer").path("type").asString("");
		if (!"BertPreTokenizer".equals(preTokenizer)) {
			throw new IllegalArgumentException(
					"unsupported pre-tokenizer type '" + preTokenizer + "': only BertPreTokenizer is supported");
		}

		List<AddedToken> added = new ArrayList<>();
		for (JsonNode t : root.path("added_tokens").values()) {
			String content = t.path("content").asString("");
			if (content.isEmpty()) {
				continue;
			}
			// Normalized added tokens are matched after normalization and single-word ones need word boundaries:
			// neither is implemented, so refuse them rather than tokenize differently.
			if (t.path("normalized").asBoolean(false) || t.path("single_word").asBoolean(false)) {
				throw new IllegalArgumentException("unsupported added token '" + content
						+ "': only added tokens with normalized=false and single_word=false are supported");
			}
			added.add(new AddedToken(content, t.path("id").asInt(), t.path("lstrip").asBoolean(false),
					t.path("rstrip").asBoolean(false)));
		}

		int cls = special(root, vocab, "[CLS]", true);
		int sep = special(root, vocab, "[SEP]", false);
		JsonNode padding = root.path("padding");
		int pad = padding.isObject() && padding.has("pad_id") ? padding.path("pad_id").asInt()
				: required(vocab, "[PAD]");

		return new WordPieceTokenizer(vocab, model.path("continuing_subword_prefix").asString("##"),
				model.path("unk_token").asString("[UNK]"), model.path("max_input_chars_per_word").asInt(100),
				cleanText, chinese, stripAccents, lowercase, added, cls, sep, pad);
	}

	private static boolean flag(JsonNode node, String name, boolean absent) {
		JsonNode value = node.path(name);
		return value.isMissingNode() || value.isNull() ? absent : value.asBoolean();
	}

	/** [CLS] or [SEP] as the post-processor adds them, else by the conventional name. */
	private static int special(JsonNode root, Map<String, Integer> vocab, String conventional, boolean first) {
		JsonNode post = root.path("post_processor");
		String type = post.path("type").asString("");
		if ("TemplateProcessing".equals(type)) {
			JsonNode template = post.path("single");
			String name = null;
			for (JsonNode piece : template.values()) {
				JsonNode special = piece.path("SpecialToken");
				if (special.isObject() && (name == null || !first)) {
					name = special.path("id").asString();
				}
			}
			JsonNode ids = name == null ? null : post.path("special_tokens").path(name).path("ids");
			if (ids != null && ids.isArray() && ids.size() == 1) {
				return ids.get(0).asInt();
			}
		}
		else if ("BertProcessing".equals(type)) {
			JsonNode pair = post.path(first ? "cls" : "sep");
			if (pair.isArray() && pair.size() == 2) {
				return pair.get(1).asInt();
			}
		}
		return required(vocab, conventional);
	}

	private static int required(Map<String, Integer> vocab, String token) {
		Integer id = vocab.get(token);
		if (id == null) {
			throw new IllegalArgumentException("the special token " + token + " is not in the vocabulary");
		}
		return id;
	}

	/**
	 * The word-piece ids of {@code text}: no special tokens added, no truncation, no padding. Empty for text that is
	 * empty or only whitespace and control characters.
	 */
	public int[] tokenize(String text) {
		IntBuf out = new IntBuf(Math.max(16, text.length() / 4));
		CharBuf scratch = new CharBuf(text.length() + 16);
		int n = text.length();
		int pending = 0;
		int i = 0;
		while (i < n) {
			AddedToken match = this.addedTokenFirstChars.indexOf(text.charAt(i)) < 0 ? null : addedTokenAt(text, i);
			if (match == null) {
				i++;
				continue;
			}
			int start = i;
			int end = i + match.content().length();
			if (match.lstrip()) {
				while (start > pending && isWhitespace(Character.codePointBefore(text, start))) {
					start -= Character.charCount(Character.codePointBefore(text, start));
				}
			}
			if (match.rstrip()) {
				while (end < n && isWhitespace(text.codePointAt(end))) {
					end += Character.charCount(text.codePointAt(end));
				}
			}
			encodeSegment(text, pending, start, scratch, out);
			out.add(match.id());
			pending = end;
			i = end;
		}
		encodeSegment(text, pending, n, scratch, out);
		return out.toArray();
	}

	private @Nullable AddedToken addedTokenAt(String text, int at) {
		for (AddedToken t : this.addedTokens) {
			if (text.startsWith(t.content(), at)) {
				return t;
			}
		}
		return null;
	}

	/** Normalizes, pre-tokenizes and word-pieces text[from, to), which holds no added token. */
	private void encodeSegment(String text, int from, int to, CharBuf scratch, IntBuf out) {
		if (from >= to) {
			return;
		}
		scratch.length = 0;
		boolean needsNfd = false;
		if (this.stripAccents) {
			// U+00C0 is the first character with a canonical decomposition: below it NFD changes nothing.
			for (int i = from; i < to && !needsNfd; i++) {
				needsNfd = text.charAt(i) >= '\u00C0';
			}
		}
		if (needsNfd) {
			// Hugging Face's order: clean and space out CJK, then NFD over the whole text (it reorders marks), then
			// drop the non-spacing marks and lowercase.
			normalize(text, from, to, this.cleanText, this.handleChineseChars, false, false, scratch);
			String decomposed = Normalizer.normalize(scratch, Normalizer.Form.NFD);
			scratch.length = 0;
			normalize(decomposed, 0, decomposed.length(), false, false, true, this.lowercase, scratch);
		}
		else {
			// Every step maps one code point at a time here, so one pass does them all.
			normalize(text, from, to, this.cleanText, this.handleChineseChars, false, this.lowercase, scratch);
		}
		splitAndPiece(scratch.chars, scratch.length, out);
	}

	private static void normalize(CharSequence src, int from, int to, boolean clean, boolean chinese,
			boolean dropNonSpacingMarks, boolean lower, CharBuf dst) {
		int i = from;
		while (i < to) {
			int cp = Character.codePointAt(src, i);
			i += Character.charCount(cp);
			if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
				// A lone surrogate cannot reach Rust: Java to Rust strings turn it into U+FFFD, which clean_text drops.
				cp = 0xFFFD;
			}
			if (clean) {
				if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
					continue;
				}
				if (isWhitespace(cp)) {
					cp = ' ';
				}
			}
			if (dropNonSpacingMarks && isNonSpacingMark(cp)) {
				continue;
			}
			if (lower) {
				if (cp < 0x80) {
					if (cp >= 'A' && cp <= 'Z') {
						cp += 'a' - 'A';
					}
				}
				else if (cp == 0x130) {
					// Rust's char::to_lowercase gives the full mapping: İ is i and a combining dot above.
					dst.add('i');
					dst.add('\u0307');
					continue;
				}
				else {
					cp = Character.toLowerCase(cp);
				}
			}
			if (chinese && isChinese(cp)) {
				dst.add(' ');
				dst.addCodePoint(cp);
				dst.add(' ');
			}
			else {
				dst.addCodePoint(cp);
			}
		}
	}

	/** BertPreTokenizer (split on whitespace, isolate punctuation), then WordPiece on each word. */
	private void splitAndPiece(char[] a, int n, IntBuf out) {
		int wordStart = -1;
		int i = 0;
		while (i < n) {
			char c = a[i];
			int cp = c;
			int len = 1;
			if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(a[i + 1])) {
				cp = Character.toCodePoint(c, a[i + 1]);
				len = 2;
			}
			if (isWhitespace(cp)) {
				if (wordStart >= 0) {
					wordPiece(a, wordStart, i, out);
					wordStart = -1;
				}
			}
			else if (isPunctuation(cp)) {
				if (wordStart >= 0) {
					wordPiece(a, wordStart, i, out);
					wordStart = -1;
				}
				wordPiece(a, i, i + len, out);
			}
			else if (wordStart < 0) {
				wordStart = i;
			}
			i += len;
		}
		if (wordStart >= 0) {
			wordPiece(a, wordStart, n, out);
		}
	}

	/** Greedy longest-match-first; a word too long, or one that cannot be covered, is a single [UNK]. */
	private void wordPiece(char[] a, int from, int to, IntBuf out) {
		int length = to - from;
		// Hugging Face counts chars (code points), not UTF-16 units.
		if (length > this.maxInputCharsPerWord && Character.codePointCount(a, from, length) > this.maxInputCharsPerWord) {
			out.add(this.unk);
			return;
		}
		int mark = out.size;
		int start = from;
		while (start < to) {
			PieceTable table = start == from ? this.words : this.continuations;
			int end = to;
			int id = -1;
			while (end > start) {
				id = table.get(a, start, end);
				if (id >= 0) {
					break;
				}
				end -= end - 2 >= start && Character.isLowSurrogate(a[end - 1]) && Character.isHighSurrogate(a[end - 2])
						? 2 : 1;
			}
			if (id < 0) {
				out.size = mark;
				out.add(this.unk);
				return;
			}
			out.add(id);
			start = end;
		}
	}

	/** The id of [CLS] (what the post-processor puts first). */
	public int cls() {
		return this.cls;
	}

	/** The id of [SEP] (what the post-processor puts last). */
	public int sep() {
		return this.sep;
	}

	/** The id of the padding token. */
	public int pad() {
		return this.pad;
	}

	/** The id of the unknown token. */
	public int unk() {
		return this.unk;
	}

	/** One more than the largest token id (added tokens included): the rows an embedding table needs. */
	public int vocabSize() {
		return this.tokens.length;
	}

	/** The token with this id, as the vocabulary spells it ({@code ##} prefix included). */
	public String token(int id) {
		String token = id >= 0 && id < this.tokens.length ? this.tokens[id] : null;
		if (token == null) {
			throw new IllegalArgumentException("no token with id " + id + " (vocabulary size " + this.tokens.length + ")");
		}
		return token;
	}

	private record AddedToken(String content, int id, boolean lstrip, boolean rstrip) {
	}

	/**
	 * An open-addressing map from char ranges to ids, so that a candidate piece is looked up without building a
	 * String for it.
	 */
	private static final class PieceTable {

		private final char[][] keys;

		private final int[] ids;

		private final int mask;

		PieceTable(List<Map.Entry<String, Integer>> entries) {
			int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 3)) << 1;
			this.keys = new char[capacity][];
			this.ids = new int[capacity];
			this.mask = capacity - 1;
			for (Map.Entry<String, Integer> e : entries) {
				char[] key = e.getKey().toCharArray();
				int slot = hash(key, 0, key.length) & this.mask;
				while (this.keys[slot] != null && !Arrays.equals(this.keys[slot], key)) {
					slot = (slot + 1) & this.mask;
				}
				this.keys[slot] = key;
				this.ids[slot] = e.getValue();
			}
		}

		/** The id of a[from, to), or -1. */
		int get(char[] a, int from, int to) {
			int slot = hash(a, from, to) & this.mask;
			char[] key;
			while ((key = this.keys[slot]) != null) {
				if (Arrays.equals(key, 0, key.length, a, from, to)) {
					return this.ids[slot];
				}
				slot = (slot + 1) & this.mask;
			}
			return -1;
		}

		private static int hash(char[] a, int from, int to) {
			int h = 0;
			for (int i = from; i < to; i++) {
				h = 31 * h + a[i];
			}
			// Spread the high bits down: the table index takes only the low ones.
			return h ^ (h >>> 16);
		}

	}

	/** A growable char array: the normalized text of one segment. */
	private static final class CharBuf implements CharSequence {

		char[] chars;

		int length;

		CharBuf(int capacity) {
			this.chars = new char[capacity];
		}

		void add(char c) {
			if (this.length == this.chars.length) {
				this.chars = Arrays.copyOf(this.chars, this.chars.length * 2 + 16);
			}
			this.chars[this.length++] = c;
		}

		void addCodePoint(int cp) {
			if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
				add((char) cp);
			}
			else {
				add(Character.highSurrogate(cp));
				add(Character.lowSurrogate(cp));
			}
		}

		@Override
		public int length() {
			return this.length;
		}

		@Override
		public char charAt(int index) {
			return this.chars[index];
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new String(this.chars, start, end - start);
		}

		@Override
		public String toString() {
			return new String(this.chars, 0, this.length);
		}

	}

	/** A growable int array: the ids of one call. */
	private static final class IntBuf {

		int[] values;

		int size;

		IntBuf(int capacity) {
			this.values = new int[capacity];
		}

		void add(int v) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.values.length * 2);
			}
			this.values[this.size++] = v;
		}

		int[] toArray() {
			return Arrays.copyOf(this.values, this.size);
		}

	}

}
