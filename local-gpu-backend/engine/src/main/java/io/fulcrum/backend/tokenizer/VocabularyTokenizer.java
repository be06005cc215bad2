package io.fulcrum.backend.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fulcrum.backend.gguf.GgufFile;

/**
 * What the GGUF tokenizers share: the vocabulary and its token types, the special ids, and llama.cpp's partition of
 * the text around special tokens ({@code tokenizer_st_partition}) before the model-specific algorithm runs on each
 * stretch of plain text.
 */
abstract class VocabularyTokenizer implements TextTokenizer {

	/** GGUF token types (llama.cpp's {@code llama_token_type}). */
	static final int NORMAL = 1;

	static final int UNKNOWN = 2;

	static final int CONTROL = 3;

	static final int USER_DEFINED = 4;

	static final int UNUSED = 5;

	static final int BYTE = 6;

	/** The texts of control tokens that end a turn, as llama.cpp's end-of-generation list has them. */
	private static final Set<String> END_OF_TURN = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
			"<|endoftext|>", "</s>", "<|eom_id|>", "<|end_of_text|>", "<EOT>");

	final String[] tokens;

	final int[] types;

	private final int bos;

	private final int eos;

	final int unk;

	private final boolean addBos;

	private final boolean[] endOfGeneration;

	/** Control, unknown and user-defined tokens, longest text first, as llama.cpp's cache_special_tokens. */
	private final int[] specials;

	VocabularyTokenizer(GgufFile gguf, boolean llamaDefaults) {
		List<String> list = gguf.strings("tokenizer.ggml.tokens");
		if (list.isEmpty()) {
			throw new IllegalArgumentException(gguf.path().getFileName() + " has no tokenizer.ggml.tokens");
		}
		this.tokens = list.toArray(new String[0]);
		int n = this.tokens.length;
		this.types = new int[n];
		long[] fileTypes = gguf.integers("tokenizer.ggml.token_type");
		for (int i = 0; i < n; i++) {
			this.types[i] = (fileTypes != null && i < fileTypes.length) ? (int) fileTypes[i] : NORMAL;
		}
		this.bos = id(gguf, "tokenizer.ggml.bos_token_id", llamaDefaults ? 1 : -1);
		this.eos = id(gguf, "tokenizer.ggml.eos_token_id", llamaDefaults ? 2 : -1);
		this.unk = id(gguf, "tokenizer.ggml.unknown_token_id", llamaDefaults ? 0 : -1);
		this.addBos = gguf.bool("tokenizer.ggml.add_bos_token", llamaDefaults) && this.bos >= 0;
		this.endOfGeneration = new boolean[n];
		for (int i = 0; i < n; i++) {
			boolean special = this.types[i] == CONTROL || this.types[i] == USER_DEFINED;
			this.endOfGeneration[i] = special && END_OF_TURN.contains(this.tokens[i]);
		}
		for (int id : new int[] { this.eos, id(gguf, "tokenizer.ggml.eot_token_id", -1),
				id(gguf, "tokenizer.ggml.eom_token_id", -1) }) {
			if (id >= 0) {
				this.endOfGeneration[id] = true;
			}
		}
		List<Integer> special = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			int type = this.types[i];
			if ((type == CONTROL || type == UNKNOWN || type == USER_DEFINED) && !this.tokens[i].isEmpty()) {
				special.add(i);
			}
		}
		special.sort(Comparator.comparingInt((Integer i) -> -this.tokens[i].length()));
		this.specials = special.stream().mapToInt(Integer::intValue).toArray();
	}

	/** A token id from the metadata, or the fallback; ids outside the vocabulary (such as u32 -1) mean none. */
	private int id(GgufFile gguf, String key, int fallback) {
		long id = gguf.integer(key, fallback);
		return (id >= 0 && id < this.tokens.length) ? (int) id : -1;
	}

	/**
	 * Runs the model's algorithm on a stretch of plain text (never empty).
	 * @param text the text
	 * @param afterSpecial whether the text starts the input or follows a special token (SentencePiece adds its space
	 * prefix there)
	 * @param out where the ids go
	 */
	abstract void encodePlain(String text, boolean afterSpecial, Ids out);

	@Override
	public final int[] encode(String text, boolean parseSpecial) {
		Ids out = new Ids();
		boolean afterSpecial = true;
		for (Object fragment : partition(text, parseSpecial)) {
			if (fragment instanceof Integer token) {
				out.add(token);
				afterSpecial = true;
			}
			else {
				encodePlain((String) fragment, afterSpecial, out);
				afterSpecial = false;
			}
		}
		return out.toArray();
	}

	/**
	 * llama.cpp's tokenizer_st_partition: the text cut at every occurrence of each special token, longest tokens
	 * first; plain stretches as Strings, special tokens as Integers. Control and unknown tokens count only when
	 * {@code parseSpecial}; user-defined ones always.
	 */
	private List<Object> partition(String text, boolean parseSpecial) {
		List<Object> fragments = new ArrayList<>();
		if (text.isEmpty()) {
			return fragments;
		}
		fragments.add(text);
		for (int id : this.specials) {
			if (!parseSpecial && this.types[id] != USER_DEFINED) {
				continue;
			}
			String special = this.tokens[id];
			if (!text.contains(special)) {
				continue;
			}
			List<Object> next = new ArrayList<>(fragments.size() + 2);
			for (Object fragment : fragments) {
				if (!(fragment instanceof String raw)) {
					next.add(fragment);
					continue;
				}
				int from = 0;
				int at;
				while ((at = raw.indexOf(special, from)) >= 0) {
					if (at > from) {
						next.add(raw.substring(from, at));
					}
					next.add(id);
					from = at + special.length();
				}
				if (from < raw.length()) {
					next.add(raw.substring(from));
				}
			}
			fragments = next;
		}
		return fragments;
	}

	/** Token ids by text, for the token types given. */
	final Map<String, Integer> idsByText(int... acceptedTypes) {
		Map<String, Integer> ids = new HashMap<>(this.tokens.length * 2);
		for (int i = 0; i < this.tokens.length; i++) {
			int type = this.types[i];
			if (Arrays.stream(acceptedTypes).anyMatch(t -> t == type)) {
				ids.putIfAbsent(this.tokens[i], i);
			}
		}
		return ids;
	}

	final void checkId(int id) {
		if (id < 0 || id >= this.tokens.length) {
			throw new IllegalArgumentException(
					"token id " + id + " is outside the vocabulary (0.." + (this.tokens.length - 1) + ")");
		}
	}

	@Override
	public final int vocabSize() {
		return this.tokens.length;
	}

	@Override
	public final int bos() {
		return this.bos;
	}

	@Override
	public final int eos() {
		return this.eos;
	}

	@Override
	public final boolean addBos() {
		return this.addBos;
	}

	@Override
	public final boolean isEndOfGeneration(int id) {
		return id >= 0 && id < this.endOfGeneration.length && this.endOfGeneration[id];
	}

	@Override
	public final String tokenText(int id) {
		checkId(id);
		return this.tokens[id];
	}

	/** A growable list of ids. */
	static final class Ids {

		private int[] ids = new int[16];

		private int size;

		void add(int id) {
			if (this.size == this.ids.length) {
				this.ids = Arrays.copyOf(this.ids, this.size * 2);
			}
			this.ids[this.size++] = id;
		}

		void addAll(int[] more) {
			for (int id : more) {
				add(id);
			}
		}

		int[] toArray() {
			return Arrays.copyOf(this.ids, this.size);
		}

	}

}
