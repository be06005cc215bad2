package io.fulcrum.backend.llama;

/**
 * One engine step's work for a {@link DecoderModel}: several sequences, each appending one or more tokens (a prompt
 * chunk being prefilled, or the single token a running sequence just sampled).
 * <p>
 * Tokens are flattened: sequence {@code s} owns tokens {@code [tokenStart[s], tokenStart[s+1])} of {@link #tokens()},
 * at positions {@code startPosition[s]} onwards. The model writes each token's keys and values into the cache slot
 * its position maps to through the sequence's block table ({@code blockTables[s][position / blockSize]}, slot
 * {@code position % blockSize}), and each token attends to positions {@code 0..position} of its own sequence.
 *
 * @param tokens the token ids of every sequence, back to back
 * @param tokenStart {@code sequences + 1} offsets into {@code tokens}
 * @param startPosition the position of each sequence's first token here
 * @param blockTables each sequence's cache blocks, in position order (covering every position written here)
 * @param wantLogits whether the step should produce logits for each sequence's last token (false for a prompt chunk
 * that is not the prompt's last)
 */
public record DecodeBatch(int[] tokens, int[] tokenStart, int[] startPosition, int[][] blockTables,
		boolean[] wantLogits) {

	/** Number of sequences. */
	public int sequences() {
		return this.startPosition.length;
	}

	/** Total tokens across sequences. */
	public int tokenCount() {
		return this.tokenStart[this.startPosition.length];
	}

	/** Tokens of sequence {@code s} in this step. */
	public int length(int s) {
		return this.tokenStart[s + 1] - this.tokenStart[s];
	}

}
