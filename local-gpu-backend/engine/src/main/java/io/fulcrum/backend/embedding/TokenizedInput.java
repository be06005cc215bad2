package io.fulcrum.backend.embedding;

/**
 * One input ready for the encoder.
 *
 * @param ids token ids with the special tokens ({@code [CLS] ... [SEP]})
 * @param textTokens how many tokens of the text are embedded (what usage reports)
 * @param truncated whether tokens were dropped to fit the window
 */
public record TokenizedInput(int[] ids, int textTokens, boolean truncated) {
}
