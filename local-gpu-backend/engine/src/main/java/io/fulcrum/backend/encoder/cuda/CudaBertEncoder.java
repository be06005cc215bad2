package io.fulcrum.backend.encoder.cuda;

import java.util.List;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.encoder.SentenceEncoder;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

/**
 * A BERT sentence encoder on one CUDA device, in fp32, through JCuda's driver API and the kernels of
 * {@code bert_kernels.cu}.
 *
 * <p>A batch's sequences are packed token after token (no padding); each kernel that must keep sequences apart
 * (attention, pooling) reads their row offsets. Per layer: one GEMM for q, k and v together, attention, the output
 * projection, residual + LayerNorm, the feed-forward GEMM with GELU fused, its output GEMM, residual + LayerNorm:
 * 7 launches a layer, 44 for MiniLM-L6.
 *
 * <p>Threading: the CUDA context is created by, and belongs to, the thread that constructs the encoder; only that
 * thread may call {@link #encode} (it throws {@link IllegalStateException} otherwise), as the engine's single
 * batching thread does. {@link #close()} may come from any thread once encoding has stopped.
 *
 * <p>Weights are uploaded once at construction; work buffers are sized for the longest sequence and regrown when
 * a batch holds more tokens. Failures of the driver are {@link CudaException}s naming the call and the error.
 */
public final class CudaBertEncoder implements SentenceEncoder {

	private static final int INITIAL_SEQUENCES = 16;

	private final BertConfig config;

	private final CudaContext context;

	private final DeviceMemory memory = new DeviceMemory();

	private final CudaKernels kernels;

	private final DeviceWeights weights;

	private final WorkBuffers buffers;

	private boolean closed;

	/** Uses device 0. */
	public CudaBertEncoder(BertWeights weights) {
		this(weights, 0);
	}

	/**
	 * Creates a context on device {@code ordinal}, owned by the calling thread, loads the kernels and uploads the
	 * weights.
	 * @throws CudaException when CUDA is not usable here or the device refuses (out of memory, say)
	 */
	public CudaBertEncoder(BertWeights weights, int ordinal) {
		this.config = weights.config();
		long shared = CudaKernels.attentionSharedBytes(this.config.maxPositions(), this.config.headSize());
		if (shared > CudaKernels.MAX_SHARED_BYTES) {
			throw new IllegalArgumentException("attention over " + this.config.maxPositions() + " positions needs "
					+ shared + " bytes of shared memory, more than the kernel's " + CudaKernels.MAX_SHARED_BYTES);
		}
		this.context = CudaContext.create(ordinal);
		try {
			this.kernels = new CudaKernels();
			this.weights = new DeviceWeights(weights, this.memory);
			this.buffers = new WorkBuffers(this.config, this.memory, this.config.maxPositions(), INITIAL_SEQUENCES);
		}
		catch (RuntimeException ex) {
			// The context owns the module and allocations: destroying it releases them.
			closeQuietly(ex);
			throw ex;
		}
	}

	@Override
	public float[][] encode(List<int[]> batch) {
		this.context.checkThread();
		int sequences = batch.size();
		if (sequences == 0) {
			return new float[0][];
		}
		int tokens = 0;
		int maxLen = 0;
		for (int[] ids : batch) {
			checkSequence(ids);
			tokens += ids.length;
			maxLen = Math.max(maxLen, ids.length);
		}
		this.buffers.ensure(tokens, sequences);
		this.memory.copyIn(this.buffers.ints, packInts(batch, tokens), 2 * tokens + sequences + 1);
		forward(tokens, sequences, maxLen);
		int h = this.config.hidden();
		float[] pooled = new float[sequences * h];
		// A kernel's fault surfaces at the next synchronizing call: make that one say so by its name.
		this.context.synchronize();
		this.memory.copyOut(pooled, this.buffers.pooled, pooled.length);
		float[][] out = new float[sequences][h];
		for (int b = 0; b < sequences; b++) {
			System.arraycopy(pooled, b * h, out[b], 0, h);
		}
		return out;
	}

	private void checkSequence(int[] ids) {
		if (ids.length == 0 || ids.length > this.config.maxPositions()) {
			throw new IllegalArgumentException("a sequence must hold 1 to " + this.config.maxPositions()
					+ " tokens, not " + ids.length);
		}
		for (int id : ids) {
			if (id < 0 || id >= this.config.vocabSize()) {
				throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
						+ this.config.vocabSize());
			}
		}
	}

	/** ids of every token, then each token's position in its sequence, then the sequences' row offsets. */
	static int[] packInts(List<int[]> batch, int tokens) {
		int[] ints = new int[2 * tokens + batch.size() + 1];
		int t = 0;
		int b = 0;
		for (int[] ids : batch) {
			ints[2 * tokens + b++] = t;
			for (int i = 0; i < ids.length; i++, t++) {
				ints[t] = ids[i];
				ints[tokens + t] = i;
			}
		}
		ints[2 * tokens + b] = t;
		return ints;
	}

	private void forward(int tokens, int sequences, int maxLen) {
		BertConfig c = this.config;
		int h = c.hidden();
		float eps = c.layerNormEps();
		WorkBuffers w = this.buffers;
		CUdeviceptr ids = w.ints;
		CUdeviceptr positions = w.ints.withByteOffset((long) tokens * Sizeof.INT);
		CUdeviceptr seqStart = w.ints.withByteOffset(2L * tokens * Sizeof.INT);
		DeviceWeights d = this.weights;
		this.kernels.embedLayerNorm(ids, positions, d.word, d.position, d.tokenType0, d.embeddingNormGamma,
				d.embeddingNormBeta, w.hidden, tokens, h, eps);
		for (DeviceWeights.Layer l : d.layers) {
			this.kernels.gemmBias(w.hidden, l.qkv(), l.qkvBias(), w.qkv, tokens, 3 * h, h, false);
			this.kernels.attention(w.qkv, seqStart, w.context, sequences, maxLen, h, c.heads());
			this.kernels.gemmBias(w.context, l.attentionOutput(), l.attentionOutputBias(), w.projected, tokens, h, h,
					false);
			this.kernels.addLayerNorm(w.projected, w.hidden, l.attentionNormGamma(), l.attentionNormBeta(),
					w.attended, tokens, h, eps);
			this.kernels.gemmBias(w.attended, l.intermediate(), l.intermediateBias(), w.intermediate, tokens,
					c.intermediate(), h, true);
			this.kernels.gemmBias(w.intermediate, l.output(), l.outputBias(), w.projected, tokens, h,
					c.intermediate(), false);
			this.kernels.addLayerNorm(w.projected, w.attended, l.outputNormGamma(), l.outputNormBeta(), w.hidden,
					tokens, h, eps);
		}
		this.kernels.meanPoolL2(w.hidden, seqStart, w.pooled, sequences, h);
	}

	@Override
	public String device() {
		return this.context.describe();
	}

	@Override
	public long deviceMemoryBytes() {
		return this.memory.bytes();
	}

	/** Tokens the work buffers hold without regrowing. */
	int tokenCapacity() {
		return this.buffers.tokenCapacity();
	}

	/** Frees every allocation, unloads the module and destroys the context; the encoder is unusable after. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.context.makeCurrent();
		try {
			this.memory.close();
			this.kernels.close();
		}
		finally {
			this.context.close();
		}
	}

	private void closeQuietly(RuntimeException failure) {
		try {
			this.context.close();
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

}
