package io.fulcrum.backend.llama.cpu;

import java.nio.ByteBuffer;

import io.fulcrum.backend.cpu.Parallel;
import io.fulcrum.backend.cpu.Simd;
import io.fulcrum.backend.gguf.GgmlDecoding;
import io.fulcrum.backend.gguf.GgufFormatException;
import io.fulcrum.backend.gguf.GgufTensor;

/**
 * A weight matrix in memory, one contiguous row per output, multiplied against a step's tokens. F32 and F16
 * tensors are held as fp32 (F16 is widened once at load: Java 17 has no fast half-precision arithmetic, and the CPU
 * path is the reference); Q8_0 stays quantised, a quarter of the memory, and each task widens its tile of rows to
 * fp32 once per step, then multiplies it like an F32 tile.
 * <p>
 * {@link #multiply} splits the rows into tiles, one task each; a tile is multiplied against the step's tokens four
 * at a time while it sits in cache, so a step that decodes many sequences together streams the weights from memory
 * once instead of once per sequence: this is what makes batching pay on a memory-bound decoder. Every (row, token)
 * pair is summed in the same order whatever the batch ({@link Fp32Kernels}), so batching never changes a result.
 */
abstract sealed class CpuMatrix permits CpuMatrix.Fp32, CpuMatrix.Q8 {

	/** Rows per task: enough work per task to amortise the fork, small enough that a tile stays in L2. */
	static final int ROWS_PER_TASK = 32;

	final int rows;

	final int cols;

	CpuMatrix(int rows, int cols) {
		this.rows = rows;
		this.cols = cols;
	}

	static CpuMatrix of(GgufTensor tensor) {
		if (tensor.dims().length != 2) {
			throw new GgufFormatException(tensor.name() + " is not a matrix");
		}
		int rows = tensor.rows();
		int cols = tensor.cols();
		return switch (tensor.type()) {
			case F32, F16 -> new Fp32(rows, cols, tensor.toFloats());
			case Q8_0 -> Q8.read(rows, cols, tensor.bytes());
			default -> throw new GgufFormatException(tensor.name() + " has type " + tensor.type()
					+ "; the engine computes with F32, F16 and Q8_0 weights");
		};
	}

	/** Bytes this matrix occupies in memory (what one pass over it reads). */
	abstract long bytes();

	/** Copies row {@code row} as floats into {@code out[offset..]} (an embedding lookup). */
	abstract void row(int row, float[] out, int offset);

	/**
	 * Rows {@code r0..r1} as fp32: an array holding row {@code r} at {@code (r - origin) * cols}, where
	 * {@code origin} is what {@link #origin} returns for {@code r0}.
	 */
	abstract float[] tile(int r0, int r1);

	abstract int origin(int r0);

	/** {@code out[t * rows + r] = this[r] · x[t * cols ..]} for every row and each of {@code tokens} tokens. */
	final void multiply(float[] x, int tokens, float[] out, Parallel parallel) {
		int tasks = (this.rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
		parallel.forEach(tasks, task -> {
			int r0 = task * ROWS_PER_TASK;
			int r1 = Math.min(this.rows, r0 + ROWS_PER_TASK);
			Fp32Kernels.multiplyTile(tile(r0, r1), origin(r0), this.cols, r0, r1, x, tokens, out, this.rows);
		});
	}

	static final class Fp32 extends CpuMatrix {

		private final float[] weights;

		Fp32(int rows, int cols, float[] weights) {
			super(rows, cols);
			this.weights = weights;
		}

		@Override
		long bytes() {
			return 4L * this.weights.length;
		}

		@Override
		void row(int row, float[] out, int offset) {
			System.arraycopy(this.weights, row * this.cols, out, offset, this.cols);
		}

		@Override
		float[] tile(int r0, int r1) {
			return this.weights;
		}

		@Override
		int origin(int r0) {
			return 0;
		}

	}

	/** Q8_0: 32 signed bytes per block sharing one scale (kept here as a float). */
	static final class Q8 extends CpuMatrix {

		private final byte[] quants;

		private final float[] scales;

		private final ThreadLocal<float[]> tiles;

		private Q8(int rows, int cols, byte[] quants, float[] scales) {
			super(rows, cols);
			this.quants = quants;
			this.scales = scales;
			this.tiles = ThreadLocal.withInitial(() -> new float[ROWS_PER_TASK * cols]);
		}

		static Q8 read(int rows, int cols, ByteBuffer data) {
			int blocks = rows * (cols / 32);
			byte[] quants = new byte[rows * cols];
			float[] scales = new float[blocks];
			for (int b = 0; b < blocks; b++) {
				scales[b] = GgmlDecoding.halfToFloat(data.getShort());
				data.get(quants, b * 32, 32);
			}
			return new Q8(rows, cols, quants, scales);
		}

		@Override
		long bytes() {
			return this.quants.length + 2L * this.scales.length;
		}

		@Override
		void row(int row, float[] out, int offset) {
			widen(row * this.cols, this.cols, out, offset);
		}

		@Override
		float[] tile(int r0, int r1) {
			float[] tile = this.tiles.get();
			widen(r0 * this.cols, (r1 - r0) * this.cols, tile, 0);
			return tile;
		}

		@Override
		int origin(int r0) {
			return r0;
		}

		/** {@code out[offset + i] = scale * quant} for {@code count} values from value {@code from} (block-aligned). */
		private void widen(int from, int count, float[] out, int offset) {
			if (Simd.AVAILABLE) {
				VectorQ8.widen(this.quants, this.scales, from, count, out, offset);
				return;
			}
			for (int i = 0; i < count; i++) {
				out[offset + i] = this.scales[(from + i) / 32] * this.quants[from + i];
			}
		}

	}

}
