package io.fulcrum.backend.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A generative model's tokenizer: text to token ids and token ids back to bytes, as llama.cpp runs the tokenizer a
 * GGUF file carries in its metadata ({@link GgufTokenizers#load}).
 * <p>
 * {@link #encode} never adds BOS or EOS: the caller adds {@link #bos()} in front when {@link #addBos()} says so.
 * Implementations are immutable once loaded: one instance serves any number of threads.
 */
public interface TextTokenizer {

	/**
	 * The ids of a text, with no BOS or EOS added.
	 * @param text the text
	 * @param parseSpecial whether control and special tokens written literally in the text (such as
	 * {@code <|im_start|>}, {@code <s>} or {@code <|eot_id|>}) become their ids, as llama.cpp's {@code parse_special}
	 * does; when {@code false} they are tokenized as plain text. User-defined tokens (GGUF token type 4) are matched
	 * either way, as llama.cpp does.
	 * @return the token ids
	 */
	int[] encode(String text, boolean parseSpecial);

	/**
	 * The bytes a token stands for when decoding: SentencePiece's {@code ▁} becomes a space and {@code <0xNN>} that
	 * byte, byte-level BPE symbols map back to their bytes, and control (and unknown) tokens give no bytes. A token's
	 * bytes need not be complete UTF-8: see {@link Utf8StreamDecoder}.
	 */
	byte[] tokenBytes(int id);

	/** The number of tokens in the vocabulary. */
	int vocabSize();

	/** The beginning-of-sequence token, or -1 when the model has none. */
	int bos();

	/** The end-of-sequence token, or -1 when the model has none. */
	int eos();

	/** Whether a prompt starts with {@link #bos()} ({@code tokenizer.ggml.add_bos_token}). */
	boolean addBos();

	/**
	 * Whether generation stops at this token: EOS, EOT ({@code tokenizer.ggml.eot_token_id}), EOM, and the control
	 * tokens that end a turn in common chat formats ({@code <|eot_id|>}, {@code <|im_end|>}, {@code <|end|>},
	 * {@code <end_of_turn>}, {@code <|endoftext|>}, {@code </s>} and a few kin).
	 */
	boolean isEndOfGeneration(int id);

	/** The token's string in the vocabulary, as the GGUF file holds it. */
	String tokenText(int id);

	/**
	 * The text of whole token sequence: the tokens' bytes, decoded as UTF-8 (malformed sequences become U+FFFD).
	 */
	default String decode(int... ids) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int id : ids) {
			bytes.writeBytes(tokenBytes(id));
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
