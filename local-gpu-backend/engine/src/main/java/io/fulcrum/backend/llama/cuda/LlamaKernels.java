package io.fulcrum.backend.llama.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.backend.encoder.cuda.PtxModule;
import io.fulcrum.backend.gguf.GgmlType;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import org.jspecify.annotations.Nullable;

/**
 * The kernels of {@code llama_kernels.cu}, loaded from the committed PTX, each launched with its grid. The launch
 * shapes mirror the constants in the .cu file (and the grids the CPU emulator checks); keep them together.
 */
final class LlamaKernels implements AutoCloseable {

	/** Where build-ptx.sh writes the PTX, on the classpath. */
	static final String PTX_RESOURCE = "/io/fulcrum/backend/llama/cuda/llama_kernels.ptx";

	/** Every kernel this class launches, by its name in the PTX. */
	static final List<String> KERNELS = List.of("embed", "rmsnorm", "matmul_f32", "matmul_f16", "matmul_q8",
			"rope_store_kv", "paged_attention", "swiglu", "argmax");

	/** Threads of a row-wise kernel (embedding, RMSNorm, RoPE). */
	static final int ROW_THREADS = 128;

	/** MM_WARPS rows a block, one warp each (MM_THREADS in the .cu). */
	static final int MM_ROWS_PER_BLOCK = 8;

	static final int MM_THREADS = MM_ROWS_PER_BLOCK * 32;

	/** ATT_THREADS in the .cu, and the widest head its registers hold (ATT_MAX_DIM). */
	static final int ATT_THREADS = 256;

	static final int ATT_MAX_HEAD_DIM = 256;

	static final int SWIGLU_THREADS = 256;

	static final int SWIGLU_MAX_BLOCKS = 4096;

	static final int ARGMAX_THREADS = 256;

	/** TYPE_* in the .cu. */
	static int typeCode(GgmlType type) {
		return switch (type) {
			case F32 -> 0;
			case F16 -> 1;
			case Q8_0 -> 2;
			default -> throw new IllegalArgumentException(type + " weights have no kernel");
		};
	}

	private static final CUdeviceptr NULL = new CUdeviceptr();

	/** Launches a kernel by name; a test stands in for the device with one that records the arguments. */
	@FunctionalInterface
	interface Launcher {

		void launch(String kernel, int gx, int gy, int threads, Object... args);

	}

	private final @Nullable PtxModule module;

	private final Launcher launcher;

	/** Where launches go: null for the legacy default stream, or a stream being captured into a CUDA graph. */
	private @Nullable CUstream stream;

	/** Loads the module into the calling thread's current context. */
	LlamaKernels() {
		PtxModule loaded = new PtxModule(PTX_RESOURCE);
		Map<String, CUfunction> functions = new HashMap<>();
		for (String name : KERNELS) {
			functions.put(name, loaded.function(name));
		}
		this.module = loaded;
		this.launcher = (kernel, gx, gy, threads, args) -> PtxModule.launchOn(this.stream, kernel,
				functions.get(kernel), gx, gy, 1, threads, 0, args);
	}

	/** Launches through {@code launcher}, with no module. */
	LlamaKernels(Launcher launcher) {
		this.module = null;
		this.launcher = launcher;
	}

	/** Sends the following launches to {@code stream} (null: the legacy default stream). */
	void onStream(@Nullable CUstream stream) {
		this.stream = stream;
	}

	/** {@code x[t] = table[tokens[t]]}, as fp32. */
	void embed(DeviceMatrix table, CUdeviceptr tokenIds, CUdeviceptr x, int tokens) {
		this.launcher.launch("embed", tokens, 1, ROW_THREADS, typeCode(table.type()), table.values(),
				orNull(table.scales()), tokenIds, x, table.cols());
	}

	/** {@code out[i] = rmsnorm(x[rows[i]]) * w} for {@code i < count}; {@code rows} null: row {@code i}. */
	void rmsnorm(CUdeviceptr x, @Nullable CUdeviceptr rows, CUdeviceptr w, CUdeviceptr out, int count, int dim, float eps) {
		this.launcher.launch("rmsnorm", count, 1, ROW_THREADS, x, orNull(rows), w, out, dim, eps);
	}

	/**
	 * {@code out[t, r] = (accumulate ? out[t, r] : 0) + bias[r] + W[r] · x[t]} for {@code t < tokens}; x's rows are
	 * {@code ldx} apart, out's {@code ldo}; {@code bias} may be null. {@code out} must not overlap {@code x}.
	 */
	void matmul(DeviceMatrix w, CUdeviceptr x, @Nullable CUdeviceptr bias, CUdeviceptr out, int tokens, int ldx, int ldo,
			boolean accumulate) {
		String name = switch (w.type()) {
			case F32 -> "matmul_f32";
			case F16 -> "matmul_f16";
			case Q8_0 -> "matmul_q8";
			default -> throw new IllegalArgumentException(w.type() + " weights have no kernel");
		};
		int blocks = (w.rows() + MM_ROWS_PER_BLOCK - 1) / MM_ROWS_PER_BLOCK;
		this.launcher.launch(name, blocks, 1, MM_THREADS, w.values(), orNull(w.scales()), x, orNull(bias), out,
				w.rows(), w.cols(), tokens, ldx, ldo, accumulate ? 1 : 0);
	}

	/** Rotates q and k of each token in {@code qkv} in place and stores k and v in the layer's cache. */
	void ropeStoreKv(CUdeviceptr qkv, StepTables step, CUdeviceptr kCache, CUdeviceptr vCache, ModelShape m) {
		this.launcher.launch("rope_store_kv", step.tokens(), 1, ROW_THREADS, qkv,
				step.positions(), step.seqOfToken(), step.blockTables(), step.maxBlocks(), kCache, vCache, m.heads(),
				m.kvHeads(), m.headDim(), m.blockSize(), m.ropeTheta(), m.ropeStyle());
	}

	/** {@code out[t]}: every head's attention over its sequence's cached positions {@code 0..positions[t]}. */
	void pagedAttention(CUdeviceptr qkv, StepTables step, CUdeviceptr kCache, CUdeviceptr vCache, CUdeviceptr out,
			ModelShape m) {
		float scale = (float) (1.0 / Math.sqrt(m.headDim()));
		this.launcher.launch("paged_attention", m.heads(), step.tokens(), ATT_THREADS, qkv,
				step.positions(), step.seqOfToken(), step.blockTables(), step.maxBlocks(), kCache, vCache, out,
				m.heads(), m.kvHeads(), m.headDim(), m.blockSize(), scale);
	}

	/** {@code out[t, j] = silu(gu[t, j]) * gu[t, ffn + j]}. */
	void swiglu(CUdeviceptr gateUp, CUdeviceptr out, int tokens, int ffn) {
		long n = (long) tokens * ffn;
		int blocks = (int) Math.max(1, Math.min(SWIGLU_MAX_BLOCKS, (n + SWIGLU_THREADS - 1) / SWIGLU_THREADS));
		this.launcher.launch("swiglu", blocks, 1, SWIGLU_THREADS, gateUp, out, tokens, ffn);
	}

	/** {@code out[r] = argmax(logits[r])} for {@code r < rows}, the lowest id among ties. */
	void argmax(CUdeviceptr logits, CUdeviceptr out, int rows, int vocab) {
		this.launcher.launch("argmax", rows, 1, ARGMAX_THREADS, logits, out, vocab);
	}

	private static CUdeviceptr orNull(@Nullable CUdeviceptr p) {
		return p == null ? NULL : p;
	}

	@Override
	public void close() {
		if (this.module != null) {
			this.module.close();
		}
	}

	/** The per-token tables of a step on the device. */
	record StepTables(int tokens, CUdeviceptr positions, CUdeviceptr seqOfToken, CUdeviceptr blockTables,
			int maxBlocks) {
	}

	/** What the attention kernels need of the model and its cache. */
	record ModelShape(int heads, int kvHeads, int headDim, int blockSize, float ropeTheta, int ropeStyle) {
	}

}
