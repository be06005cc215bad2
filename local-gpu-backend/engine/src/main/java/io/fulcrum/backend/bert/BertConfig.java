package io.fulcrum.backend.bert;

/**
 * The shape of a BERT-family encoder and how its sentence embedding is made.
 *
 * @param vocabSize rows of the word-embedding table
 * @param hidden width of every token's hidden state
 * @param layers number of transformer layers
 * @param heads attention heads per layer; {@code hidden} must be a multiple of it
 * @param intermediate width of the feed-forward layer
 * @param maxPositions rows of the position-embedding table: the longest sequence the model can read
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
		float layerNormEps) {

	public BertConfig {
		if (hidden % heads != 0) {
			throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
		}
	}

	/** Width of one attention head. */
	public int headSize() {
		return this.hidden / this.heads;
	}

}
