package io.fulcrum.backend.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes Hugging Face tokenizer.json files equivalent to a GGUF vocabulary, so that Hugging Face's tokenizers (the
 * Rust library, through DJL) can serve as the independent reference for the GGUF tokenizers.
 */
final class HuggingFaceBpeJson {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HuggingFaceBpeJson() {
	}

	/** A token added on top of the model, matched in the raw text before anything else. */
	record Added(int id, String content, boolean special) {
	}

	/**
	 * The Llama (SentencePiece) layout, as transformers' LlamaConverter writes it: normalizer Prepend("▁") then
	 * Replace(" ", "▁"), no pre-tokenizer, a BPE model with byte fallback whose merges are every split of a token
	 * into two tokens, ranked by the merged token's score (highest first), as SentencePieceExtractor derives them.
	 */
	static byte[] sentencePiece(List<String> tokens, float[] scores, int[] types, List<Added> added) {
		Map<String, Integer> normal = new HashMap<>();
		for (int i = 0; i < tokens.size(); i++) {
			if (types[i] == 1) {
				normal.putIfAbsent(tokens.get(i), i);
			}
		}
		record Merge(String left, String right, float score, int id) {
		}
		List<Merge> merges = new ArrayList<>();
		for (int i = 0; i < tokens.size(); i++) {
			String token = tokens.get(i);
			if (types[i] != 1) {
				continue;
			}
			for (int k = token.offsetByCodePoints(0, 1); k < token.length(); k = token.offsetByCodePoints(k, 1)) {
				String left = token.substring(0, k);
				String right = token.substring(k);
				if (normal.containsKey(left) && normal.containsKey(right)) {
					merges.add(new Merge(left, right, scores[i], i));
				}
			}
		}
		merges.sort(Comparator.comparingDouble((Merge m) -> -m.score).thenComparingInt(Merge::id));
		ObjectNode root = root(added);
		ObjectNode normalizer = root.putObject("normalizer");
		normalizer.put("type", "Sequence");
		ArrayNode normalizers = normalizer.putArray("normalizers");
		normalizers.addObject().put("type", "Prepend").put("prepend", "\u2581");
		ObjectNode replace = normalizers.addObject().put("type", "Replace");
		replace.putObject("pattern").put("String", " ");
		replace.put("content", "\u2581");
		root.putNull("pre_tokenizer");
		ObjectNode model = model(root, tokens, true);
		model.put("unk_token", tokens.get(0));
		model.put("ignore_merges", false);
		ArrayNode mergeArray = model.putArray("merges");
		for (Merge m : merges) {
			mergeArray.addArray().add(m.left).add(m.right);
		}
		return JSON.writeValueAsBytes(root);
	}

	/**
	 * The GPT-2 byte-level layout: a Split on the pre-tokenizer regex followed by ByteLevel without its own regex (as
	 * Llama 3's and Qwen 2's tokenizer.json have it), or, when {@code splitRegex} is null, ByteLevel with its built-in
	 * GPT-2 regex (as GPT-2's has it).
	 */
	static byte[] byteLevel(List<String> tokens, List<String> merges, List<Added> added, String splitRegex,
			boolean ignoreMerges) {
		ObjectNode root = root(added);
		root.putNull("normalizer");
		ObjectNode pre = root.putObject("pre_tokenizer");
		if (splitRegex != null) {
			pre.put("type", "Sequence");
			ArrayNode steps = pre.putArray("pretokenizers");
			ObjectNode split = steps.addObject().put("type", "Split");
			split.putObject("pattern").put("Regex", splitRegex);
			split.put("behavior", "Isolated").put("invert", false);
			steps.addObject()
				.put("type", "ByteLevel")
				.put("add_prefix_space", false)
				.put("trim_offsets", true)
				.put("use_regex", false);
		}
		else {
			pre.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
		}
		ObjectNode model = model(root, tokens, false);
		model.putNull("unk_token");
		model.put("ignore_merges", ignoreMerges);
		ArrayNode mergeArray = model.putArray("merges");
		for (String merge : merges) {
			int space = merge.indexOf(' ');
			mergeArray.addArray().add(merge.substring(0, space)).add(merge.substring(space + 1));
		}
		return JSON.writeValueAsBytes(root);
	}

	private static ObjectNode root(List<Added> added) {
		ObjectNode root = JSON.createObjectNode();
		root.put("version", "1.0");
		root.putNull("truncation");
		root.putNull("padding");
		ArrayNode addedTokens = root.putArray("added_tokens");
		for (Added a : added) {
			addedTokens.addObject()
				.put("id", a.id())
				.put("content", a.content())
				.put("single_word", false)
				.put("lstrip", false)
				.put("rstrip", false)
				.put("normalized", false)
				.put("special", a.special());
		}
		root.putNull("post_processor");
		root.putNull("decoder");
		return root;
	}

	private static ObjectNode model(ObjectNode root, List<String> tokens, boolean byteFallback) {
		ObjectNode model = root.putObject("model");
		model.put("type", "BPE");
		model.putNull("dropout");
		model.putNull("continuing_subword_prefix");
		model.putNull("end_of_word_suffix");
		model.put("fuse_unk", byteFallback);
		model.put("byte_fallback", byteFallback);
		ObjectNode vocab = model.putObject("vocab");
		for (int i = 0; i < tokens.size(); i++) {
			if (!vocab.has(tokens.get(i))) {
				vocab.put(tokens.get(i), i);
			}
		}
		return model;
	}

}
