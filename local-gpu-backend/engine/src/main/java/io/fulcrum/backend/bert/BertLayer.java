package io.fulcrum.backend.bert;

/**
 * One transformer layer's weights. Every matrix is stored {@code [in, out]} (the layout ONNX's MatMul
 * initializers use), so {@code y = x · W + b} reads {@code W} row by row.
 *
 * @param query {@code [hidden, hidden]}
 * @param queryBias {@code [hidden]}
 * @param key {@code [hidden, hidden]}
 * @param keyBias {@code [hidden]}
 * @param value {@code [hidden, hidden]}
 * @param valueBias {@code [hidden]}
 * @param attentionOutput {@code [hidden, hidden]}
 * @param attentionOutputBias {@code [hidden]}
 * @param attentionNormGamma {@code [hidden]}, LayerNorm after attention and its residual
 * @param attentionNormBeta {@code [hidden]}
 * @param intermediate {@code [hidden, intermediate]}, followed by GELU
 * @param intermediateBias {@code [intermediate]}
 * @param output {@code [intermediate, hidden]}
 * @param outputBias {@code [hidden]}
 * @param outputNormGamma {@code [hidden]}, LayerNorm after the feed-forward and its residual
 * @param outputNormBeta {@code [hidden]}
 */
public record BertLayer(Tensor query, Tensor queryBias, Tensor key, Tensor keyBias, Tensor value, Tensor valueBias,
		Tensor attentionOutput, Tensor attentionOutputBias, Tensor attentionNormGamma, Tensor attentionNormBeta,
		Tensor intermediate, Tensor intermediateBias, Tensor output, Tensor outputBias, Tensor outputNormGamma,
		Tensor outputNormBeta) {

	/** Checks every shape against the config; a model file that does not match fails at load, not mid-request. */
	public BertLayer validate(BertConfig c) {
		int h = c.hidden();
		int i = c.intermediate();
		query.expectShape(h, h);
		key.expectShape(h, h);
		value.expectShape(h, h);
		attentionOutput.expectShape(h, h);
		intermediate.expectShape(h, i);
		output.expectShape(i, h);
		for (Tensor v : new Tensor[] { queryBias, keyBias, valueBias, attentionOutputBias, attentionNormGamma,
				attentionNormBeta, outputBias, outputNormGamma, outputNormBeta }) {
			v.expectShape(h);
		}
		intermediateBias.expectShape(i);
		return this;
	}

}
