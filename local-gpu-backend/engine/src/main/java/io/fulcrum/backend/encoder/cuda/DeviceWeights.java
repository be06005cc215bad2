package io.fulcrum.backend.encoder.cuda;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertLayer;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.bert.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * The encoder's weights on the device, uploaded once. Query, key and value are joined into one {@code [hidden,
 * 3 hidden]} matrix (and one bias) so a layer's projections are one GEMM; only row 0 of the token-type table is
 * kept, since single sentences use no other.
 */
final class DeviceWeights {

	/** One layer on the device; matrices {@code [in, out]} row-major as on the host. */
	record Layer(CUdeviceptr qkv, CUdeviceptr qkvBias, CUdeviceptr attentionOutput, CUdeviceptr attentionOutputBias,
			CUdeviceptr attentionNormGamma, CUdeviceptr attentionNormBeta, CUdeviceptr intermediate,
			CUdeviceptr intermediateBias, CUdeviceptr output, CUdeviceptr outputBias, CUdeviceptr outputNormGamma,
			CUdeviceptr outputNormBeta) {
	}

	final CUdeviceptr word;

	final CUdeviceptr position;

	final CUdeviceptr tokenType0;

	final CUdeviceptr embeddingNormGamma;

	final CUdeviceptr embeddingNormBeta;

	final List<Layer> layers;

	DeviceWeights(BertWeights w, DeviceMemory memory) {
		BertConfig c = w.config();
		int h = c.hidden();
		this.word = memory.upload(w.wordEmbeddings().data(), "word embeddings");
		this.position = memory.upload(w.positionEmbeddings().data(), "position embeddings");
		float[] type0 = new float[h];
		System.arraycopy(w.tokenTypeEmbeddings().data(), 0, type0, 0, h);
		this.tokenType0 = memory.upload(type0, "token type 0");
		this.embeddingNormGamma = memory.upload(w.embeddingNormGamma().data(), "embedding LayerNorm");
		this.embeddingNormBeta = memory.upload(w.embeddingNormBeta().data(), "embedding LayerNorm");
		List<Layer> uploaded = new ArrayList<>();
		for (BertLayer l : w.layers()) {
			String at = "layer " + uploaded.size();
			uploaded.add(new Layer(memory.upload(joinColumns(h, l.query(), l.key(), l.value()), at),
					memory.upload(concat(l.queryBias(), l.keyBias(), l.valueBias()), at),
					memory.upload(l.attentionOutput().data(), at), memory.upload(l.attentionOutputBias().data(), at),
					memory.upload(l.attentionNormGamma().data(), at), memory.upload(l.attentionNormBeta().data(), at),
					memory.upload(l.intermediate().data(), at), memory.upload(l.intermediateBias().data(), at),
					memory.upload(l.output().data(), at), memory.upload(l.outputBias().data(), at),
					memory.upload(l.outputNormGamma().data(), at), memory.upload(l.outputNormBeta().data(), at)));
		}
		this.layers = List.copyOf(uploaded);
	}

	/** {@code [rows, a.cols + b.cols + ...]}: each row of the result is the same row of every part, side by side. */
	static float[] joinColumns(int rows, Tensor... parts) {
		int width = 0;
		for (Tensor p : parts) {
			width += p.shape()[1];
		}
		float[] joined = new float[rows * width];
		for (int r = 0; r < rows; r++) {
			int at = r * width;
			for (Tensor p : parts) {
				int cols = p.shape()[1];
				System.arraycopy(p.data(), r * cols, joined, at, cols);
				at += cols;
			}
		}
		return joined;
	}

	static float[] concat(Tensor... parts) {
		int n = 0;
		for (Tensor p : parts) {
			n += p.size();
		}
		float[] joined = new float[n];
		int at = 0;
		for (Tensor p : parts) {
			System.arraycopy(p.data(), 0, joined, at, p.size());
			at += p.size();
		}
		return joined;
	}

}
