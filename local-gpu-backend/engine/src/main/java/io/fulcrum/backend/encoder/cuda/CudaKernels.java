package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

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

	private final CUmodule module = new CUmodule();

	private final CUfunction embedLayerNorm;

	private final CUfunction addLayerNorm;

	private final CUfunction gemmBias;

	private final CUfunction gemmBiasGelu;

	private final CUfunction attention;

	private final CUfunction meanPoolL2;

	private boolean loaded;

	/** Loads the module into the calling thread's current context. */
	CudaKernels() {
		CudaException.check("cuModuleLoadData(" + PTX_RESOURCE + ")", cuModuleLoadData(this.module, ptx()));
		this.loaded = true;
		this.embedLayerNorm = function("embed_layernorm");
		this.addLayerNorm = function("add_layernorm");
		this.gemmBias = function("gemm_bias");
		this.gemmBiasGelu = function("gemm_bias_gelu");
		this.attention = function("attention");
		this.meanPoolL2 = function("mean_pool_l2");
	}

	/** The PTX text, null-terminated as cuModuleLoadData requires of a PTX image. */
	static byte[] ptx() {
		try (InputStream in = CudaKernels.class.getResourceAsStream(PTX_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("PTX resource " + PTX_RESOURCE + " is missing from the classpath");
			}
			byte[] text = in.readAllBytes();
			return Arrays.copyOf(text, text.length + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + PTX_RESOURCE, ex);
		}
	}

	private CUfunction function(String name) {
		CUfunction f = new CUfunction();
		CudaException.check("cuModuleGetFunction(" + name + ")", cuModuleGetFunction(f, this.module, name));
		return f;
	}

	/** Bytes of dynamic shared memory {@link #attention} needs for sequences up to {@code maxLen} tokens. */
	static long attentionSharedBytes(int maxLen, int headSize) {
		return 4L * (ATT_Q * (long) maxLen + ATT_Q * (long) headSize + ATT_KEYS * (long) (headSize + 1));
	}

	/** {@code out[t] = LN(word[ids[t]] + pos[positions[t]] + type0)}. */
	void embedLayerNorm(CUdeviceptr ids, CUdeviceptr positions, CUdeviceptr word, CUdeviceptr pos,
			CUdeviceptr type0, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr out, int tokens, int hidden,
			float eps) {
		launch("embed_layernorm", this.embedLayerNorm, tokens, 1, 1, ROW_THREADS, 0, Pointer.to(ptr(ids),
				ptr(positions), ptr(word), ptr(pos), ptr(type0), ptr(gamma), ptr(beta), ptr(out), i(tokens),
				i(hidden), f(eps)));
	}

	/** {@code out[t] = LN(x[t] + residual[t])}; {@code out} may be {@code x} or {@code residual}. */
	void addLayerNorm(CUdeviceptr x, CUdeviceptr residual, CUdeviceptr gamma, CUdeviceptr beta, CUdeviceptr out,
			int tokens, int hidden, float eps) {
		launch("add_layernorm", this.addLayerNorm, tokens, 1, 1, ROW_THREADS, 0, Pointer.to(ptr(x), ptr(residual),
				ptr(gamma), ptr(beta), ptr(out), i(tokens), i(hidden), f(eps)));
	}

	/** {@code c[m, n] = a[m, k] · b[k, n] + bias[n]}, then GELU when asked; {@code c} must not overlap the inputs. */
	void gemmBias(CUdeviceptr a, CUdeviceptr b, CUdeviceptr bias, CUdeviceptr c, int m, int n, int k, boolean gelu) {
		int gx = (n + GEMM_TILE - 1) / GEMM_TILE;
		int gy = (m + GEMM_TILE - 1) / GEMM_TILE;
		launch(gelu ? "gemm_bias_gelu" : "gemm_bias", gelu ? this.gemmBiasGelu : this.gemmBias, gx, gy, 1,
				GEMM_THREADS, 0, Pointer.to(ptr(a), ptr(b), ptr(bias), ptr(c), i(m), i(n), i(k)));
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
				(int) attentionSharedBytes(maxLen, headSize), Pointer.to(ptr(qkv), ptr(seqStart), ptr(ctx),
						i(hidden), i(headSize), i(maxLen), f(scale)));
	}

	/** {@code out[b] = normalize(mean of sequence b's rows of x)}. */
	void meanPoolL2(CUdeviceptr x, CUdeviceptr seqStart, CUdeviceptr out, int sequences, int hidden) {
		launch("mean_pool_l2", this.meanPoolL2, sequences, 1, 1, ROW_THREADS, 0,
				Pointer.to(ptr(x), ptr(seqStart), ptr(out), i(hidden)));
	}

	private static void launch(String name, CUfunction function, int gx, int gy, int gz, int threads, int sharedBytes,
			Pointer params) {
		// On the legacy default stream (null), so the synchronous copies before and after order against it.
		CudaException.check("cuLaunchKernel(" + name + ")",
				cuLaunchKernel(function, gx, gy, gz, threads, 1, 1, sharedBytes, null, params, null));
	}

	private static Pointer ptr(CUdeviceptr p) {
		return Pointer.to(p);
	}

	private static Pointer i(int v) {
		return Pointer.to(new int[] { v });
	}

	private static Pointer f(float v) {
		return Pointer.to(new float[] { v });
	}

	@Override
	public void close() {
		if (this.loaded) {
			this.loaded = false;
			CudaException.check("cuModuleUnload", cuModuleUnload(this.module));
		}
	}

}
