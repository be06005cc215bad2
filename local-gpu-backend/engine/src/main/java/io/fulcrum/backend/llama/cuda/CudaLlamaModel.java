package io.fulcrum.backend.llama.cuda;

import io.fulcrum.backend.encoder.cuda.CudaContext;
import io.fulcrum.backend.encoder.cuda.CudaException;
import io.fulcrum.backend.encoder.cuda.DeviceMemory;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.DecoderModel;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.RopeStyle;
import io.fulcrum.backend.llama.StepLogits;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import org.jspecify.annotations.Nullable;

/**
 * A Llama-family decoder on one CUDA device, through JCuda's driver API and the kernels of
 * {@code llama_kernels.cu}. Weights stay in their file's type (F32, F16 or Q8_0) and are dequantized in registers;
 * activations, the key/value cache and all accumulation are fp32.
 *
 * <p>A step's tokens (every sequence's, flattened as {@link DecodeBatch} has them) go through the layers together:
 * per layer RMSNorm, one q|k|v matrix launch (with Qwen2's biases), RoPE fused with the cache write, paged
 * attention, the output projection with the residual add fused, RMSNorm, one gate|up launch, SwiGLU, the down
 * projection with the residual add: 9 launches a layer. Each matrix kernel reads a weight row once for up to 8
 * tokens, so a batch of decode steps costs little more weight traffic than one. Only the sequences that want
 * logits get the final norm and the vocabulary projection, and the device picks each one's argmax, so a greedy
 * step copies back one int per sequence.
 *
 * <p>The cache is one fp32 array: per layer a K and a V part of {@code blocks * blockSize} slots of
 * {@code kvDim} values; a sequence's block table maps its positions to slots.
 *
 * <p>Steps are launched one kernel at a time (about 6.6 µs each from Java), or, when asked at construction, pure
 * decode steps replay a CUDA graph captured once per batch shape (about 0.5 µs a kernel): small models are bound
 * by launches, not bandwidth, unless the step is a graph.
 *
 * <p>Threading: the context belongs to the thread that constructs the model; only it may call {@link #forward}
 * and use the {@link StepLogits} it returns (others get {@link IllegalStateException}). {@link #close()} may come
 * from any thread once stepping has stopped.
 */
public final class CudaLlamaModel implements DecoderModel {

	private final LlamaConfig config;

	private final KvCacheShape cache;

	private final CudaContext context;

	private final DeviceMemory memory = new DeviceMemory();

	private final LlamaKernels kernels;

	private final LlamaDeviceWeights weights;

	private final LlamaKernels.ModelShape shape;

	private final CUdeviceptr kvCache;

	private final Buffers buffers;

	private final @Nullable DecodeGraphs graphs;

	private long step;

	private boolean closed;

	/** Uses device 0, launching kernel by kernel. */
	public static CudaLlamaModel load(GgufFile file, KvCacheShape cache) {
		return new CudaLlamaModel(file, cache, 0, false);
	}

	/**
	 * Creates a context on device {@code ordinal}, owned by the calling thread, loads the kernels, uploads the
	 * weights and allocates the cache. With {@code decodeGraphs}, pure decode steps (one token a sequence, logits for
	 * all) run as CUDA graphs captured once per batch shape ({@link DecodeGraphs}); other steps launch kernel by
	 * kernel either way.
	 * @throws CudaException when CUDA is not usable here or the device refuses (out of memory, say)
	 */
	public CudaLlamaModel(GgufFile file, KvCacheShape cache, int ordinal, boolean decodeGraphs) {
		this.config = LlamaConfig.from(file);
		this.cache = cache;
		if (this.config.headDim() > LlamaKernels.ATT_MAX_HEAD_DIM) {
			throw new IllegalArgumentException("heads of " + this.config.headDim() + " dimensions are wider than the "
					+ "attention kernel's " + LlamaKernels.ATT_MAX_HEAD_DIM);
		}
		this.shape = new LlamaKernels.ModelShape(this.config.heads(), this.config.kvHeads(), this.config.headDim(),
				cache.blockSize(), this.config.ropeTheta(), this.config.ropeStyle() == RopeStyle.ADJACENT_PAIRS ? 0 : 1);
		this.context = CudaContext.create(ordinal);
		try {
			this.kernels = new LlamaKernels();
			this.weights = new LlamaDeviceWeights(file, this.config, this.memory);
			this.kvCache = this.memory.allocate(cache.bytes(this.config, Sizeof.FLOAT), "key/value cache");
			this.buffers = new Buffers();
			this.graphs = decodeGraphs ? new DecodeGraphs() : null;
		}
		catch (RuntimeException ex) {
			// The context owns the module and allocations: destroying it releases them.
			try {
				this.context.close();
			}
			catch (RuntimeException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw ex;
		}
	}

	@Override
	public LlamaConfig config() {
		return this.config;
	}

	@Override
	public KvCacheShape cacheShape() {
		return this.cache;
	}

	@Override
	public String device() {
		return this.context.describe();
	}

	/** Bytes allocated on the device: weights, cache and work buffers. */
	public long deviceMemoryBytes() {
		return this.memory.bytes();
	}

	/** CUDA graphs captured so far (0 without decode graphs). */
	public int graphCaptures() {
		return this.graphs == null ? 0 : this.graphs.captures();
	}

	@Override
	public long weightBytesPerToken() {
		return this.weights.bytesPerToken;
	}

	@Override
	public StepLogits forward(DecodeBatch batch) {
		this.context.checkThread();
		Layout layout = Layout.of(batch, this.config, this.cache);
		this.step++;
		int tokens = batch.tokenCount();
		if (tokens > 0) {
			this.buffers.ensure(tokens, Math.max(1, layout.logitRows), layout.ints.length);
			this.memory.copyIn(this.buffers.ints, layout.ints, layout.ints.length);
			if (this.graphs != null && layout.logitRows == tokens && tokens == batch.sequences()) {
				this.graphs.run(tokens, layout.maxBlocks, this.buffers.generation, this.kernels, () -> run(tokens, layout));
			}
			else {
				run(tokens, layout);
			}
		}
		return new DeviceLogits(this.step, layout.rowOf, layout.logitRows);
	}

	private void run(int tokens, Layout layout) {
		LlamaConfig c = this.config;
		Buffers b = this.buffers;
		int dim = c.dim();
		int qDim = c.heads() * c.headDim();
		int width = qDim + 2 * c.kvDim();
		int ffn = c.ffnDim();
		LlamaKernels k = this.kernels;
		LlamaKernels.StepTables tables = new LlamaKernels.StepTables(tokens, b.ints(layout.positions),
				b.ints(layout.seqOfToken), b.ints(layout.blockTables), layout.maxBlocks);
		k.embed(this.weights.embedding, b.ints(0), b.x, tokens);
		long slots = (long) this.cache.blocks() * this.cache.blockSize() * c.kvDim() * Sizeof.FLOAT;
		for (int l = 0; l < c.layers(); l++) {
			LlamaDeviceWeights.Layer w = this.weights.layers.get(l);
			CUdeviceptr kCache = this.kvCache.withByteOffset(2L * l * slots);
			CUdeviceptr vCache = this.kvCache.withByteOffset((2L * l + 1) * slots);
			k.rmsnorm(b.x, null, w.attentionNorm(), b.h, tokens, dim, c.rmsEps());
			k.matmul(w.qkv(), b.h, w.qkvBias(), b.qkv, tokens, dim, width, false);
			k.ropeStoreKv(b.qkv, tables, kCache, vCache, this.shape);
			k.pagedAttention(b.qkv, tables, kCache, vCache, b.attention, this.shape);
			k.matmul(w.output(), b.attention, null, b.x, tokens, qDim, dim, true);
			k.rmsnorm(b.x, null, w.ffnNorm(), b.h, tokens, dim, c.rmsEps());
			k.matmul(w.gateUp(), b.h, null, b.gateUp, tokens, dim, 2 * ffn, false);
			k.swiglu(b.gateUp, b.ffn, tokens, ffn);
			k.matmul(w.down(), b.ffn, null, b.x, tokens, ffn, dim, true);
		}
		if (layout.logitRows > 0) {
			k.rmsnorm(b.x, b.ints(layout.lastRows), this.weights.outputNorm, b.last, layout.logitRows, dim, c.rmsEps());
			k.matmul(this.weights.output, b.last, null, b.logits, layout.logitRows, dim, c.vocabSize(), false);
			k.argmax(b.logits, b.argmax, layout.logitRows, c.vocabSize());
		}
	}

	/** Frees every allocation, unloads the module and destroys the context; the model is unusable after. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.context.makeCurrent();
		try {
			if (this.graphs != null) {
				this.graphs.close();
			}
			this.memory.close();
			this.kernels.close();
		}
		finally {
			this.context.close();
		}
	}

	/**
	 * A step's integers as uploaded in one copy: token ids, positions, each token's sequence, the rows whose logits
	 * are wanted, and the block tables ({@code sequences x maxBlocks}, unused entries 0); offsets in ints.
	 */
	record Layout(int[] ints, int positions, int seqOfToken, int lastRows, int blockTables, int maxBlocks,
			int[] rowOf, int logitRows) {

		static Layout of(DecodeBatch batch, LlamaConfig config, KvCacheShape cache) {
			int sequences = batch.sequences();
			int tokens = batch.tokenCount();
			int maxBlocks = 1;
			for (int[] table : batch.blockTables()) {
				maxBlocks = Math.max(maxBlocks, table.length);
			}
			int positions = tokens;
			int seqOfToken = 2 * tokens;
			int lastRows = 3 * tokens;
			int blockTables = lastRows + sequences;
			int[] ints = new int[blockTables + sequences * maxBlocks];
			int[] rowOf = new int[sequences];
			int rows = 0;
			for (int s = 0; s < sequences; s++) {
				int length = batch.length(s);
				int start = batch.startPosition()[s];
				int[] table = batch.blockTables()[s];
				if (length > 0 && (start < 0 || (long) start + length > (long) table.length * cache.blockSize())) {
					throw new IllegalArgumentException("sequence " + s + ": positions " + start + ".." + (start + length - 1)
							+ " are not covered by its " + table.length + " blocks of " + cache.blockSize());
				}
				for (int i = 0; i < table.length; i++) {
					if (table[i] < 0 || table[i] >= cache.blocks()) {
						throw new IllegalArgumentException("sequence " + s + ": block " + table[i] + " is outside the cache's "
								+ cache.blocks());
					}
					ints[blockTables + s * maxBlocks + i] = table[i];
				}
				for (int i = 0; i < length; i++) {
					int t = batch.tokenStart()[s] + i;
					int id = batch.tokens()[t];
					if (id < 0 || id >= config.vocabSize()) {
						throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
								+ config.vocabSize());
					}
					ints[t] = id;
					ints[positions + t] = start + i;
					ints[seqOfToken + t] = s;
				}
				if (batch.wantLogits()[s]) {
					if (length == 0) {
						throw new IllegalArgumentException("sequence " + s + " wants logits but has no token in this step");
					}
					ints[lastRows + rows] = batch.tokenStart()[s + 1] - 1;
					rowOf[s] = rows++;
				}
				else {
					rowOf[s] = -1;
				}
			}
			return new Layout(ints, positions, seqOfToken, lastRows, blockTables, maxBlocks, rowOf, rows);
		}

	}

	/** The logits of one step, on the device until asked for. */
	private final class DeviceLogits implements StepLogits {

		private final long step;

		private final int[] rowOf;

		private final int rows;

		private int @Nullable [] argmax;

		DeviceLogits(long step, int[] rowOf, int rows) {
			this.step = step;
			this.rowOf = rowOf;
			this.rows = rows;
		}

		@Override
		public int argmax(int s) {
			int row = row(s);
			if (this.argmax == null) {
				// A kernel's fault surfaces at the next synchronizing call: make that one say so by its name.
				CudaLlamaModel.this.context.synchronize();
				this.argmax = new int[this.rows];
				CudaLlamaModel.this.memory.copyOut(this.argmax, CudaLlamaModel.this.buffers.argmax, this.rows);
			}
			return this.argmax[row];
		}

		@Override
		public void copy(int s, float[] into) {
			int row = row(s);
			int vocab = CudaLlamaModel.this.config.vocabSize();
			if (into.length < vocab) {
				throw new IllegalArgumentException("logits need " + vocab + " floats, not " + into.length);
			}
			CudaLlamaModel.this.context.synchronize();
			CudaLlamaModel.this.memory.copyOut(into,
					CudaLlamaModel.this.buffers.logits.withByteOffset((long) row * vocab * Sizeof.FLOAT), vocab);
		}

		private int row(int s) {
			CudaLlamaModel.this.context.checkThread();
			if (this.step != CudaLlamaModel.this.step) {
				throw new IllegalStateException("these logits were overwritten by a later step");
			}
			if (s < 0 || s >= this.rowOf.length || this.rowOf[s] < 0) {
				throw new IllegalArgumentException("sequence " + s + " asked for no logits in this step");
			}
			return this.rowOf[s];
		}

	}

	/**
	 * The activations, sized for a number of tokens and logit rows and regrown to the next power of two when a
	 * step needs more. All are {@code [tokens, width]} row-major.
	 */
	private final class Buffers {

		private int tokenCapacity;

		private int rowCapacity;

		private int intCapacity;

		/** Counts allocations, so that graphs holding the old addresses are dropped. */
		long generation;

		CUdeviceptr ints = new CUdeviceptr();

		CUdeviceptr x = new CUdeviceptr();

		CUdeviceptr h = new CUdeviceptr();

		CUdeviceptr qkv = new CUdeviceptr();

		CUdeviceptr attention = new CUdeviceptr();

		CUdeviceptr gateUp = new CUdeviceptr();

		CUdeviceptr ffn = new CUdeviceptr();

		CUdeviceptr last = new CUdeviceptr();

		CUdeviceptr logits = new CUdeviceptr();

		CUdeviceptr argmax = new CUdeviceptr();

		Buffers() {
			allocate(16, 16, 1024);
		}

		CUdeviceptr ints(int offset) {
			return this.ints.withByteOffset((long) offset * Sizeof.INT);
		}

		void ensure(int tokens, int rows, int ints) {
			if (tokens > this.tokenCapacity || rows > this.rowCapacity || ints > this.intCapacity) {
				int t = Math.max(this.tokenCapacity, Integer.highestOneBit(tokens - 1) << 1);
				int r = Math.max(this.rowCapacity, Integer.highestOneBit(rows - 1) << 1);
				int i = Math.max(this.intCapacity, Integer.highestOneBit(ints - 1) << 1);
				release();
				allocate(Math.max(t, 1), Math.max(r, 1), Math.max(i, 1));
			}
		}

		private void allocate(int tokens, int rows, int ints) {
			LlamaConfig c = CudaLlamaModel.this.config;
			DeviceMemory m = CudaLlamaModel.this.memory;
			long t = tokens;
			long f = Sizeof.FLOAT;
			this.ints = m.allocate((long) ints * Sizeof.INT, "step tables");
			this.x = m.allocate(t * c.dim() * f, "hidden states");
			this.h = m.allocate(t * c.dim() * f, "normalized hidden states");
			this.qkv = m.allocate(t * (c.heads() * c.headDim() + 2L * c.kvDim()) * f, "q, k, v");
			this.attention = m.allocate(t * c.heads() * c.headDim() * f, "attention output");
			this.gateUp = m.allocate(t * 2 * c.ffnDim() * f, "gate and up projections");
			this.ffn = m.allocate(t * c.ffnDim() * f, "feed-forward hidden");
			this.last = m.allocate((long) rows * c.dim() * f, "final norm of the last tokens");
			this.logits = m.allocate((long) rows * c.vocabSize() * f, "logits");
			this.argmax = m.allocate((long) rows * Sizeof.INT, "argmax");
			this.tokenCapacity = tokens;
			this.rowCapacity = rows;
			this.intCapacity = ints;
			this.generation++;
		}

		private void release() {
			for (CUdeviceptr p : new CUdeviceptr[] { this.ints, this.x, this.h, this.qkv, this.attention, this.gateUp,
					this.ffn, this.last, this.logits, this.argmax }) {
				CudaLlamaModel.this.memory.free(p);
			}
			// Until allocate succeeds, nothing is held: a failed regrow leaves no stale capacity behind.
			this.tokenCapacity = 0;
			this.rowCapacity = 0;
			this.intCapacity = 0;
		}

	}

}
