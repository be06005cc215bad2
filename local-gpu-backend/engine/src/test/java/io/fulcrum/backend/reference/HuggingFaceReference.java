package io.fulcrum.backend.reference;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Hugging Face's own tokenizer (the Rust library, through DJL): the reference our WordPiece tokenizer is checked
 * against (test scope only).
 */
public final class HuggingFaceReference {

	private HuggingFaceReference() {
	}

	/**
	 * Loads a tokenizer.json with no special tokens, no truncation and no padding, whatever the file asks for:
	 * like {@code WordPieceTokenizer.tokenize}.
	 */
	public static HuggingFaceTokenizer plain(InputStream tokenizerJson) throws IOException {
		return HuggingFaceTokenizer.newInstance(tokenizerJson,
				Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
	}

	/** The word-piece ids of a text. */
	public static int[] ids(HuggingFaceTokenizer tokenizer, String text) {
		return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
	}

}
