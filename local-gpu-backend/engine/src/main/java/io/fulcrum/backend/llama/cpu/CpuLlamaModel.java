package io.fulcrum.backend.llama.cpu;

import java.util.Arrays;

import io.fulcrum.backend.cpu.Parallel;
import io.fulcrum.backend.cpu.Simd;
import io.fulcrum.backend.cpu.VectorExp;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufFormatException;
import io.fulcrum.backend.gguf.GgufTensor;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.DecoderModel;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.RopeStyle;
import io.fulcrum.backend.llama.StepLogits;
import org.jspecify.annotations.Nullable;

/**
 * A Llama-family decoder in pure Java (fp32 arithmetic; F16 weights widened at load, Q8_0 kept quantised), with
 * its paged key/value cache on the heap. Every step runs all of its tokens through each weight matrix together
 * ({@link CpuMatrix#multiply}), so prefill chunks and many decoding sequences share one pass over the weights.
 */
public final class CpuLlamaModel implements DecoderModel {

	private final LlamaConfig config;

	private final KvCacheShape cacheShape;

	private final Parallel parallel;

	private final CpuMatrix embedding;

	private final CpuMatrix output;

	private final float[] outputNorm;

	private final Layer[] layers;

	/** Per layer, {@code blocks * blockSize} slots of {@code kvDim} keys (values alike). */
	private final float[][] keys;

	private final float[][] values;

	/** {@code theta^(-2i/headDim)} for each rotated pair {@code i}. */
	private final double[] inverseFrequencies;

	private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[256]);

	private Scratch scratch;

	private record Layer(float[] attentionNorm, CpuMatrix query, CpuMatrix key, CpuMatrix value, float @Nullable [] queryBias,
			float @Nullable [] keyBias, float @Nullable [] valueBias, CpuMatrix attentionOutput, float[] ffnNorm,
			CpuMatrix gate, CpuMatrix up, CpuMatrix down) {
	}

	private CpuLlamaModel(LlamaConfig config, KvCacheShape cacheShape, int threads, GgufFile file) {
		this.config = config;
		this.cacheShape = cacheShape;
		long slots = (long) cacheShape.blocks() * cacheShape.blockSize() * config.kvDim();
		if (slots > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("a CPU cache of " + cacheShape.blocks() + " blocks of "
					+ cacheShape.blockSize() + " tokens is too large for one layer's array; use fewer blocks");
		}
		this.embedding = CpuMatrix.of(file.tensor("token_embd.weight"));
		this.output = file.hasTensor("output.weight") ? CpuMatrix.of(file.tensor("output.weight")) : this.embedding;
		this.outputNorm = vector(file, "output_norm.weight", config.dim());
		this.layers = new Layer[config.layers()];
		for (int l = 0; l < config.layers(); l++) {
			String p = "blk." + l + ".";
			this.layers[l] = new Layer(vector(file, p + "attn_norm.weight", config.dim()), matrix(file, p + "attn_q.weight"),
					matrix(file, p + "attn_k.weight"), matrix(file, p + "attn_v.weight"), bias(file, p + "attn_q.bias"),
					bias(file, p + "attn_k.bias"), bias(file, p + "attn_v.bias"), matrix(file, p + "attn_output.weight"),
					vector(file, p + "ffn_norm.weight", config.dim()), matrix(file, p + "ffn_gate.weight"),
					matrix(file, p + "ffn_up.weight"), matrix(file, p + "ffn_down.weight"));
		}
		this.keys = new float[config.layers()][(int) slots];
		this.values = new float[config.layers()][(int) slots];
		int pairs = config.headDim() / 2;
		this.inverseFrequencies = new double[pairs];
		for (int i = 0; i < pairs; i++) {
			this.inverseFrequencies[i] = 1.0 / Math.pow(config.ropeTheta(), 2.0 * i / config.headDim());
		}
		this.parallel = new Parallel(threads);
		this.scratch = new Scratch(0, config);
	}

	/**
	 * Loads the model of a {@code llama} or {@code qwen2} GGUF file with a cache of {@code cache}'s shape, computing on
	 * {@code threads} worker threads.
	 */
	public static CpuLlamaModel load(GgufFile file, KvCacheShape cache, int threads) {
		return new CpuLlamaModel(LlamaConfig.from(file), cache, Math.max(1, threads), file);
	}

	private static CpuMatrix matrix(GgufFile file, String name) {
		return CpuMatrix.of(file.tensor(name));
	}

	private static float[] vector(GgufFile file, String name, int length) {
		GgufTensor tensor = file.tensor(name);
		if (tensor.elements() != length) {
			throw new GgufFormatException(name + " has " + tensor.elements() + " values, expected " + length);
		}
		return tensor.toFloats();
	}

	private static float @Nullable [] bias(GgufFile file, String name) {
		return file.hasTensor(name) ? file.tensor(name).toFloats() : null;
	}

	@Override
	public LlamaConfig config() {
		return this.config;
	}

	@Override
	public KvCacheShape cacheShape() {
		return this.cacheShape;
	}

	@Override
	public String device() {
		return "cpu (" + this.parallel.threads() + " threads, " + (Simd.AVAILABLE ? "Vector API" : "scalar") + ")";
	}

	@Override
	public long weightBytesPerToken() {
		long total = this.output.bytes();
		for (Layer layer : this.layers) {
			total += layer.query.bytes() + layer.key.bytes() + layer.value.bytes() + layer.attentionOutput.bytes()
					+ layer.gate.bytes() + layer.up.bytes() + layer.down.bytes();
		}
		return total;
	}

	@Override
	public StepLogits forward(DecodeBatch batch) {
		int tokens = batch.tokenCount();
		LlamaConfig c = this.config;
		for (int t = 0; t < tokens; t++) {
			int token = batch.tokens()[t];
			if (token < 0 || token >= c.vocabSize()) {
				throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + c.vocabSize());
			}
		}
		Scratch s = scratchFor(tokens);
		int[] positions = s.positions;
		int[] sequenceOf = s.sequenceOf;
		for (int seq = 0; seq < batch.sequences(); seq++) {
			for (int t = batch.tokenStart()[seq]; t < batch.tokenStart()[seq + 1]; t++) {
				sequenceOf[t] = seq;
				positions[t] = batch.startPosition()[seq] + t - batch.tokenStart()[seq];
			}
		}
		for (int t = 0; t < tokens; t++) {
			this.embedding.row(batch.tokens()[t], s.x, t * c.dim());
		}
		for (int l = 0; l < c.layers(); l++) {
			Layer layer = this.layers[l];
			rmsNorm(s.x, layer.attentionNorm, s.h, tokens, c.dim());
			layer.query.multiply(s.h, tokens, s.q, this.parallel);
			layer.key.multiply(s.h, tokens, s.k, this.parallel);
			layer.value.multiply(s.h, tokens, s.v, this.parallel);
			addBias(s.q, layer.queryBias, tokens);
			addBias(s.k, layer.keyBias, tokens);
			addBias(s.v, layer.valueBias, tokens);
			for (int t = 0; t < tokens; t++) {
				rotate(s.q, t * c.dim(), c.heads(), positions[t]);
				rotate(s.k, t * c.kvDim(), c.kvHeads(), positions[t]);
				int slot = slot(batch.blockTables()[sequenceOf[t]], positions[t]) * c.kvDim();
				System.arraycopy(s.k, t * c.kvDim(), this.keys[l], slot, c.kvDim());
				System.arraycopy(s.v, t * c.kvDim(), this.values[l], slot, c.kvDim());
			}
			float[] layerKeys = this.keys[l];
			float[] layerValues = this.values[l];
			this.parallel.forEach(tokens * c.heads(), item -> {
				int t = item / c.heads();
				attend(s.q, t, item % c.heads(), layerKeys, layerValues, batch.blockTables()[sequenceOf[t]], positions[t],
						s.attention);
			});
			layer.attentionOutput.multiply(s.attention, tokens, s.h, this.parallel);
			add(s.x, s.h, tokens * c.dim());
			rmsNorm(s.x, layer.ffnNorm, s.h, tokens, c.dim());
			layer.gate.multiply(s.h, tokens, s.gate, this.parallel);
			layer.up.multiply(s.h, tokens, s.up, this.parallel);
			for (int i = 0; i < tokens * c.ffnDim(); i++) {
				float g = s.gate[i];
				s.gate[i] = g / (1f + (float) Math.exp(-g)) * s.up[i];
			}
			layer.down.multiply(s.gate, tokens, s.h, this.parallel);
			add(s.x, s.h, tokens * c.dim());
		}
		return logits(batch, s);
	}

	private StepLogits logits(DecodeBatch batch, Scratch s) {
		int dim = this.config.dim();
		int[] rowOf = new int[batch.sequences()];
		int rows = 0;
		for (int seq = 0; seq < batch.sequences(); seq++) {
			if (batch.wantLogits()[seq] && batch.length(seq) > 0) {
				System.arraycopy(s.x, (batch.tokenStart()[seq + 1] - 1) * dim, s.h, rows * dim, dim);
				rowOf[seq] = rows++;
			}
			else {
				rowOf[seq] = -1;
			}
		}
		float[] normed = new float[rows * dim];
		rmsNorm(s.h, this.outputNorm, normed, rows, dim);
		float[] logits = new float[rows * this.config.vocabSize()];
		this.output.multiply(normed, rows, logits, this.parallel);
		return new HeapLogits(logits, rowOf, this.config.vocabSize());
	}

	private int slot(int[] blockTable, int position) {
		int blockSize = this.cacheShape.blockSize();
		return blockTable[position / blockSize] * blockSize + position % blockSize;
	}

	/** Rotates every head of the token vector at {@code offset} to {@code position}. */
	private void rotate(float[] vector, int offset, int heads, int position) {
		int headDim = this.config.headDim();
		int pairs = headDim / 2;
		boolean adjacent = this.config.ropeStyle() == RopeStyle.ADJACENT_PAIRS;
		for (int i = 0; i < pairs; i++) {
			double angle = position * this.inverseFrequencies[i];
			float cos = (float) Math.cos(angle);
			float sin = (float) Math.sin(angle);
			for (int head = 0; head < heads; head++) {
				int base = offset + head * headDim;
				int a = adjacent ? base + 2 * i : base + i;
				int b = adjacent ? a + 1 : a + pairs;
				float x0 = vector[a];
				float x1 = vector[b];
				vector[a] = x0 * cos - x1 * sin;
				vector[b] = x0 * sin + x1 * cos;
			}
		}
	}

	/** One query head of token {@code t} over positions {@code 0..position} of its sequence. */
	private void attend(float[] q, int t, int head, float[] layerKeys, float[] layerValues, int[] blockTable,
			int position, float[] out) {
		LlamaConfig c = this.config;
		int headDim = c.headDim();
		int kvOffset = head / (c.heads() / c.kvHeads()) * headDim;
		int qo = t * c.dim() + head * headDim;
		float scale = (float) (1 / Math.sqrt(headDim));
		float[] weights = this.scores.get();
		if (weights.length < position + 1) {
			weights = new float[Math.max(position + 1, weights.length * 2)];
			this.scores.set(weights);
		}
		float max = Float.NEGATIVE_INFINITY;
		for (int p = 0; p <= position; p++) {
			int k = slot(blockTable, p) * c.kvDim() + kvOffset;
			float dot;
			if (Simd.AVAILABLE) {
				dot = VectorMatrixKernels.dot(q, qo, layerKeys, k, headDim);
			}
			else {
				dot = 0;
				for (int d = 0; d < headDim; d++) {
					dot += q[qo + d] * layerKeys[k + d];
				}
			}
			weights[p] = dot * scale;
			max = Math.max(max, weights[p]);
		}
		float total;
		if (Simd.AVAILABLE) {
			total = (float) VectorExp.expShifted(weights, position + 1, max);
		}
		else {
			total = 0;
			for (int p = 0; p <= position; p++) {
				weights[p] = (float) Math.exp(weights[p] - max);
				total += weights[p];
			}
		}
		int o = t * c.dim() + head * headDim;
		Arrays.fill(out, o, o + headDim, 0f);
		for (int p = 0; p <= position; p++) {
			int v = slot(blockTable, p) * c.kvDim() + kvOffset;
			float w = weights[p] / total;
			for (int d = 0; d < headDim; d++) {
				out[o + d] += w * layerValues[v + d];
			}
		}
	}

	private void rmsNorm(float[] in, float[] weight, float[] out, int tokens, int dim) {
		for (int t = 0; t < tokens; t++) {
			int o = t * dim;
			float squares = 0;
			for (int i = 0; i < dim; i++) {
				squares += in[o + i] * in[o + i];
			}
			float inverse = (float) (1 / Math.sqrt(squares / dim + this.config.rmsEps()));
			for (int i = 0; i < dim; i++) {
				out[o + i] = weight[i] * (inverse * in[o + i]);
			}
		}
	}

	private static void addBias(float[] vectors, float @Nullable [] bias, int tokens) {
		if (bias == null) {
			return;
		}
		for (int t = 0; t < tokens; t++) {
			for (int i = 0; i < bias.length; i++) {
				vectors[t * bias.length + i] += bias[i];
			}
		}
	}

	private static void add(float[] into, float[] delta, int length) {
		for (int i = 0; i < length; i++) {
			into[i] += delta[i];
		}
	}

	private Scratch scratchFor(int tokens) {
		if (this.scratch.capacity < tokens) {
			this.scratch = new Scratch(Math.max(tokens, this.scratch.capacity * 2), this.config);
		}
		return this.scratch;
	}

	@Override
	public void close() {
		this.parallel.close();
	}

	/** Activations for up to {@code capacity} tokens, reused from step to step. */
	private static final class Scratch {

		final int capacity;

		final float[] x;

		final float[] h;

		final float[] q;

		final float[] k;

		final float[] v;

		final float[] attention;

		final float[] gate;

		final float[] up;

		final int[] positions;

		final int[] sequenceOf;

		Scratch(int capacity, LlamaConfig c) {
			this.capacity = capacity;
			int dim = c.dim();
			int kvDim = c.kvDim();
			int ffn = c.ffnDim();
			this.x = new float[capacity * dim];
			this.h = new float[capacity * dim];
			this.q = new float[capacity * dim];
			this.k = new float[capacity * kvDim];
			this.v = new float[capacity * kvDim];
			this.attention = new float[capacity * dim];
			this.gate = new float[capacity * ffn];
			this.up = new float[capacity * ffn];
			this.positions = new int[capacity];
			this.sequenceOf = new int[capacity];
		}

	}

	/** Logits held on the heap: one row per sequence that asked for them. */
	private record HeapLogits(float[] logits, int[] rowOf, int vocab) implements StepLogits {

		@Override
		public int argmax(int s) {
			int base = row(s) * this.vocab;
			int best = 0;
			for (int i = 1; i < this.vocab; i++) {
				if (this.logits[base + i] > this.logits[base + best]) {
					best = i;
				}
			}
			return best;
		}

		@Override
		public void copy(int s, float[] into) {
			System.arraycopy(this.logits, row(s) * this.vocab, into, 0, this.vocab);
		}

		private int row(int s) {
			if (this.rowOf[s] < 0) {
				throw new IllegalStateException("sequence " + s + " did not ask for logits in this step");
			}
			return this.rowOf[s];
		}

	}

}
