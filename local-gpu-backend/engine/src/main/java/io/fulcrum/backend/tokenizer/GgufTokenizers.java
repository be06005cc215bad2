package io.fulcrum.backend.tokenizer;

import io.fulcrum.backend.gguf.GgufFile;

/** Picks the tokenizer a GGUF file's metadata describes. */
public final class GgufTokenizers {

	private GgufTokenizers() {
	}

	/**
	 * The tokenizer {@code tokenizer.ggml.model} names: {@code "llama"} is SentencePiece-style BPE
	 * ({@link SentencePieceBpeTokenizer}), {@code "gpt2"} byte-level BPE ({@link ByteLevelBpeTokenizer}).
	 * @throws IllegalArgumentException for any other model type, or a file without one
	 */
	public static TextTokenizer load(GgufFile gguf) {
		String model = gguf.string("tokenizer.ggml.model", "");
		return switch (model) {
			case "llama" -> SentencePieceBpeTokenizer.from(gguf);
			case "gpt2" -> ByteLevelBpeTokenizer.from(gguf);
			case "" -> throw new IllegalArgumentException(
					gguf.path().getFileName() + " has no tokenizer.ggml.model: it carries no tokenizer");
			default -> throw new IllegalArgumentException(gguf.path().getFileName() + " has tokenizer.ggml.model \""
					+ model + "\", which is not supported (supported: \"llama\" and \"gpt2\")");
		};
	}

}
