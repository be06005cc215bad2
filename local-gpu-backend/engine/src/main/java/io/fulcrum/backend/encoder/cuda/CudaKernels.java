package io.fulcrum.backend.encoder.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;

/**
 * The kernels of {@code bert_kernels.cu}: loads the committed PTX into the current context (the driver JIT-compiles
 * it for the device) and launches each kernel with its grid, block and shared memory. The launch shapes mirror the
 * constants in the .cu file; keep them together when changing either.
 */
final class CudaKernels implements AutoCloseable {

	/** Where build-ptx.sh writes the PTX, on the classpath. */
	static final String PTX_RESOURCE = "/io/fulcrum/backend/encoder/cuda/bert_kernels.ptx";

	/** Threads of a row-wise kernel (LayerNorms, pooling): enough for hidden 384 in 3 values a thread. */
	static final int ROW_THREADS = 128;

	/** GEMM output tile (TILE_M x TILE_N in the .cu) and its block. */
	static final int GEMM_TILE = 64;

	static final int GEMM_THREADS = 256;

	/** Attention: ATT_Q queries a block, one warp each; keys staged ATT_KEYS at a time. */
	static final int ATT_Q = 8;

	static final int ATT_KEYS = 64;

	static final int ATT_THREADS = ATT_Q * 32;

	/** Shared memory a block may use without opting in to more. */
	static final int MAX_SHARED_BYTES = 48 * 1024;

	private final PtxModule module;

	private final CUfunction embedLayerNorm;

	private final CUfunction addLayerNorm;

	private final CUfunction gemmBias;

	private final CUfunction gemmBiasGelu;

	private final CUfunction attention;

	private final CUfunction meanPoolL2;

	/** Loads the module into the calling thread's current context. */
	CudaKernels() {
		this.module = new PtxModule(PTX_RESOURCE);
		this.embedLayerNorm = this.module.function("embed_layernorm");
		this.addLayerNorm = this.module.function("add_layernorm");
		this.gemmBias = this.module.function("gemm_bias");
		this.gemmBiasGelu = this.module.function("gemm_bias_gelu");
		this.attention = this.module.function("attention");
		this.meanPoolL2 = this.module.function("mean_pool_l2");
	}

	/** The PTX text, null-terminated as cuModuleLoadData requires of a PTX image. */
	static byte[] ptx() {
		return PtxModule.ptx(PTX_RESOURCE);
	}

	/** Bytes of dynamic shared memory {@link #attention} needs for sequences up to {@code maxLen} tokens. */
	static long attentionSharedBytes(int maxLen, int headSize) {
		return 4L * (ATT_Q * (long) maxLen + ATT_Q * (long) headSize + ATT_KEYS * (long) (headSize + 1));
	}

	/** {@code out[t] = LN(word[ids[t]] + pos[positions[t]] + type0)}. */
	void embedLayerNorm(CUdeviceptr ids, CUdeviceptr positions, CUdeviceptr word, CUdeviceptr pos,
			CUdeviceptr type0, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr out, int tokens, int hidden,
			float eps) {
		launch("embed_layernorm", this.embedLayerNorm, tokens, 1, 1, ROW_THREADS, 0, ids,
				positions, word, pos, type0, gamma, beta, out, tokens,
				hidden, eps);
	}

	/** {@code out[t] = LN(x[t] + residual[t])}; {@code out} may be {@code x} or {@code residual}. */
	void addLayerNorm(CUdeviceptr x, CUdeviceptr residual, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr out,
			int tokens, int hidden, float eps) {
		launch("add_layernorm", this.addLayerNorm, tokens, 1, 1, ROW_THREADS, 0, x, residual,
				gamma, beta, out, tokens, hidden, eps);
	}

	/** {@code c[m, n] = a[m, k] · b[k, n] + bias[n]}, then GELU when asked; {@code c} must not overlap the inputs. */
	void gemmBias(CUdeviceptr a, CUdeviceptr b, CUdeviceptr bias, CUdeviceptr c, int m, int n, int k, boolean gelu) {
		int gx = (n + GEMM_TILE - 1) / GEMM_TILE;
		int gy = (m + GEMM_TILE - 1) / GEMM_TILE;
		launch(gelu ? "gemm_bias_gelu" : "gemm_bias", gelu ? this.gemmBiasGelu : this.gemmBias, gx, gy, 1,
				GEMM_THREADS, 0, a, b, bias, c, m, n, k);
	}

	/**
	 * Self-attention of every head within each sequence: {@code qkv} is {@code [tokens, 3 hidden]} (q, k, v side by
	 * side), {@code seqStart} holds {@code sequences + 1} row offsets, {@code ctx} receives {@code [tokens, hidden]}.
	 */
	void attention(CUdeviceptr qkv, CUdeviceptr seqStart, CUdeviceptr ctx, int sequences, int maxLen, int hidden,
			int heads) {
		int headSize = hidden / heads;
		float scale = (float) (1.0 / Math.sqrt(headSize));
		launch("attention", this.attention, (maxLen + ATT_Q - 1) / ATT_Q, heads, sequences, ATT_THREADS,
				(int) attentionSharedBytes(maxLen, headSize), qkv, seqStart, ctx,
						hidden, headSize, maxLen, scale);
	}

	/** {@code out[b] = normalize(mean of sequence b's rows of x)}. */
	void meanPoolL2(CUdeviceptr x, CUdeviceptr seqStart, CUdeviceptr out, int sequences, int hidden) {
		launch("mean_pool_l2", this.meanPoolL2, sequences, 1, 1, ROW_THREADS, 0,
				x, seqStart, out, hidden);
	}

	private static void launch(String name, CUfunction function, int gx, int gy, int gz, int threads, int sharedBytes,
			Object... args) {
		PtxModule.launch(name, function, gx, gy, gz, threads, sharedBytes, args);
	}

	@Override
	public void close() {
		this.module.close();
	}

}
