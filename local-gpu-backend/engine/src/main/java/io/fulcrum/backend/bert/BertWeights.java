package io.fulcrum.backend.bert;

import java.util.List;

/**
 * Everything a BERT-family sentence encoder needs, on the host, independent of the file it came from. A loader
 * (such as {@link io.fulcrum.backend.onnx.OnnxBertLoader}) builds one; each encoder (CPU, CUDA) runs it.
 *
 * @param config the model's shape
 * @param wordEmbeddings {@code [vocab, hidden]}
 * @param positionEmbeddings {@code [maxPositions, hidden]}
 * @param tokenTypeEmbeddings {@code [typeVocab, hidden]}; single sentences use row 0
 * @param embeddingNormGamma {@code [hidden]}
 * @param embeddingNormBeta {@code [hidden]}
 * @param layers the transformer layers, first to last
 */
public record BertWeights(BertConfig config, Tensor wordEmbeddings, Tensor positionEmbeddings,
		Tensor tokenTypeEmbeddings, Tensor embeddingNormGamma, Tensor embeddingNormBeta, List<BertLayer> layers) {

	public BertWeights {
		layers = List.copyOf(layers);
		int h = config.hidden();
		wordEmbeddings.expectShape(config.vocabSize(), h);
		positionEmbeddings.expectShape(config.maxPositions(), h);
		if (tokenTypeEmbeddings.shape().length != 2 || tokenTypeEmbeddings.shape()[1] != h) {
			throw new IllegalArgumentException("tensor " + tokenTypeEmbeddings.name() + ": expected [types, " + h + "]");
		}
		embeddingNormGamma.expectShape(h);
		embeddingNormBeta.expectShape(h);
		if (layers.size() != config.layers()) {
			throw new IllegalArgumentException("config says " + config.layers() + " layers, weights hold " + layers.size());
		}
		layers.forEach(l -> l.validate(config));
	}

	/** Bytes of fp32 weights: what a GPU must read once per forward pass. */
	public long parameterBytes() {
		long n = wordEmbeddings.size() + (long) positionEmbeddings.size() + tokenTypeEmbeddings.size()
				+ embeddingNormGamma.size() + embeddingNormBeta.size();
		for (BertLayer l : layers) {
			for (Tensor t : new Tensor[] { l.query(), l.queryBias(), l.key(), l.keyBias(), l.value(), l.valueBias(),
					l.attentionOutput(), l.attentionOutputBias(), l.attentionNormGamma(), l.attentionNormBeta(),
					l.intermediate(), l.intermediateBias(), l.output(), l.outputBias(), l.outputNormGamma(),
					l.outputNormBeta() }) {
				n += t.size();
			}
		}
		return n * Float.BYTES;
	}

}
