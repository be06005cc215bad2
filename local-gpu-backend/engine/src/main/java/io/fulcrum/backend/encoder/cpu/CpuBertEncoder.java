package io.fulcrum.backend.encoder.cpu;

import java.util.List;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertLayer;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.cpu.Parallel;
import io.fulcrum.backend.encoder.SentenceEncoder;

/**
 * The BERT encoder in pure Java: used where no GPU is present, and the reference the GPU path is checked
 * against.
 *
 * <p>A batch is packed, not padded: the tokens of all sequences are rows of one matrix, so every dense layer is
 * one matrix product over the whole batch and no work is spent on padding; only attention looks at sequence
 * boundaries. Work buffers are reused between calls and grow with the largest batch seen.
 */
public final class CpuBertEncoder implements SentenceEncoder {

	private final BertWeights weights;

	private final BertConfig config;

	private final Parallel parallel;

	private final CpuKernels kernels;

	private float[] x = new float[0];

	private float[] q = new float[0];

	private float[] k = new float[0];

	private float[] v = new float[0];

	private float[] ctx = new float[0];

	private float[] attended = new float[0];

	private float[] inner = new float[0];

	/**
	 * @param weights the model
	 * @param threads worker threads for one forward pass (at least 1)
	 */
	public CpuBertEncoder(BertWeights weights, int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("threads must be at least 1, was " + threads);
		}
		this.weights = weights;
		this.config = weights.config();
		this.parallel = new Parallel(threads);
		this.kernels = new CpuKernels(this.parallel);
	}

	@Override
	public float[][] encode(List<int[]> batch) {
		int sequences = batch.size();
		int[] offsets = new int[sequences];
		int[] lengths = new int[sequences];
		int tokens = 0;
		for (int s = 0; s < sequences; s++) {
			int n = batch.get(s).length;
			if (n < 1 || n > this.config.maxPositions()) {
				throw new IllegalArgumentException(
						"sequence " + s + " has " + n + " tokens; 1 to " + this.config.maxPositions() + " are allowed");
			}
			offsets[s] = tokens;
			lengths[s] = n;
			tokens += n;
		}
		ensureCapacity(tokens);
		embed(batch, offsets, tokens);
		int h = this.config.hidden();
		for (BertLayer layer : this.weights.layers()) {
			this.kernels.dense(this.x, tokens, h, layer.query().data(), layer.queryBias().data(), h, this.q, false);
			this.kernels.dense(this.x, tokens, h, layer.key().data(), layer.keyBias().data(), h, this.k, false);
			this.kernels.dense(this.x, tokens, h, layer.value().data(), layer.valueBias().data(), h, this.v, false);
			this.kernels.attention(this.q, this.k, this.v, offsets, lengths, this.config.heads(),
					this.config.headSize(), this.ctx);
			this.kernels.dense(this.ctx, tokens, h, layer.attentionOutput().data(), layer.attentionOutputBias().data(),
					h, this.attended, false);
			this.kernels.addAndNormalize(this.attended, this.x, tokens, h, layer.attentionNormGamma().data(),
					layer.attentionNormBeta().data(), this.config.layerNormEps());
			int i = this.config.intermediate();
			this.kernels.dense(this.attended, tokens, h, layer.intermediate().data(), layer.intermediateBias().data(),
					i, this.inner, true);
			this.kernels.dense(this.inner, tokens, i, layer.output().data(), layer.outputBias().data(), h, this.x,
					false);
			this.kernels.addAndNormalize(this.x, this.attended, tokens, h, layer.outputNormGamma().data(),
					layer.outputNormBeta().data(), this.config.layerNormEps());
		}
		return pool(offsets, lengths);
	}

	/** Word + position + token-type (0) embeddings, then LayerNorm. */
	private void embed(List<int[]> batch, int[] offsets, int tokens) {
		int h = this.config.hidden();
		float[] words = this.weights.wordEmbeddings().data();
		float[] positions = this.weights.positionEmbeddings().data();
		float[] type = this.weights.tokenTypeEmbeddings().data();
		for (int s = 0; s < batch.size(); s++) {
			int[] ids = batch.get(s);
			for (int p = 0; p < ids.length; p++) {
				if (ids[p] < 0 || ids[p] >= this.config.vocabSize()) {
					throw new IllegalArgumentException("token id " + ids[p] + " is outside the vocabulary of "
							+ this.config.vocabSize());
				}
				int o = (offsets[s] + p) * h;
				int w = ids[p] * h;
				int ps = p * h;
				for (int c = 0; c < h; c++) {
					this.x[o + c] = words[w + c] + type[c] + positions[ps + c];
				}
			}
		}
		this.kernels.addAndNormalize(this.x, null, tokens, h,
				this.weights.embeddingNormGamma().data(), this.weights.embeddingNormBeta().data(),
				this.config.layerNormEps());
	}

	/** Mean over each sequence's tokens, then L2 normalisation. */
	private float[][] pool(int[] offsets, int[] lengths) {
		int h = this.config.hidden();
		float[][] out = new float[offsets.length][];
		for (int s = 0; s < offsets.length; s++) {
			double[] sum = new double[h];
			for (int t = offsets[s]; t < offsets[s] + lengths[s]; t++) {
				for (int c = 0; c < h; c++) {
					sum[c] += this.x[t * h + c];
				}
			}
			double norm = 0;
			for (int c = 0; c < h; c++) {
				sum[c] /= lengths[s];
				norm += sum[c] * sum[c];
			}
			double inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
			float[] e = new float[h];
			for (int c = 0; c < h; c++) {
				e[c] = (float) (sum[c] * inv);
			}
			out[s] = e;
		}
		return out;
	}

	private void ensureCapacity(int tokens) {
		int h = this.config.hidden();
		if (this.x.length >= tokens * h) {
			return;
		}
		this.x = new float[tokens * h];
		this.q = new float[tokens * h];
		this.k = new float[tokens * h];
		this.v = new float[tokens * h];
		this.ctx = new float[tokens * h];
		this.attended = new float[tokens * h];
		this.inner = new float[tokens * this.config.intermediate()];
	}

	/** How the dense layers use SIMD here, for the start-up log. */
	public static String simd() {
		return CpuKernels.VECTOR ? "Vector API, " + VectorDense.lanes() * 32 + "-bit"
				: "plain loops (start the JVM with --add-modules jdk.incubator.vector for the SIMD kernel)";
	}

	@Override
	public String device() {
		return "cpu (" + this.parallel.threads() + (this.parallel.threads() == 1 ? " thread)" : " threads)");
	}

	@Override
	public long deviceMemoryBytes() {
		return 0;
	}

	@Override
	public void close() {
		this.parallel.close();
	}

}
