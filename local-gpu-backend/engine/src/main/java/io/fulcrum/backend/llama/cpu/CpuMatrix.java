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
 * path is the reference); Q8_0 stays quantised, a quarter of the memory, and is widened block by block inside the
 * product.
 * <p>
 * {@link #multiply} reads each weight row once per group of four tokens, while that row sits in cache, so a step
 * that decodes many sequences together streams the weights from memory once instead of once per sequence: this is
 * what makes batching pay on a memory-bound decoder.
 */
abstract sealed class CpuMatrix permits CpuMatrix.Fp32, CpuMatrix.Q8 {

	/** Rows per task: enough work per task to amortise the fork, small enough that a tile stays in L2. */
	private static final int ROWS_PER_TASK = 32;

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

	/** {@code out[t][r] = this[r] · x[t]} for tokens {@code t0..t0+count}, rows {@code r}, {@code count <= 4}. */
	abstract void rowTimesTokens(int r, float[] x, int t0, int count, float[] out);

	/** Rows {@code r..r+3} against token {@code t}; by default one row at a time. */
	void fourRowsTimesOneToken(int r, float[] x, int t, float[] out) {
		for (int i = 0; i < 4; i++) {
			rowTimesTokens(r + i, x, t, 1, out);
		}
	}

	/** Rows {@code r} and {@code r + 1} against tokens {@code t0..t0+4}; by default one row at a time. */
	void twoRowsTimesFourTokens(int r, float[] x, int t0, float[] out) {
		rowTimesTokens(r, x, t0, 4, out);
		rowTimesTokens(r + 1, x, t0, 4, out);
	}

	/** {@code out[t * rows + r] = this[r] · x[t * cols ..]} for every row and each of {@code tokens} tokens. */
	final void multiply(float[] x, int tokens, float[] out, Parallel parallel) {
		int tasks = (this.rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
		parallel.forEach(tasks, task -> {
			int r0 = task * ROWS_PER_TASK;
			int r1 = Math.min(this.rows, r0 + ROWS_PER_TASK);
			for (int t0 = 0; t0 < tokens; t0 += 4) {
				int count = Math.min(4, tokens - t0);
				if (count == 4) {
					int r = r0;
					for (; r + 1 < r1; r += 2) {
						twoRowsTimesFourTokens(r, x, t0, out);
					}
					for (; r < r1; r++) {
						rowTimesTokens(r, x, t0, 4, out);
					}
					continue;
				}
				for (int t = t0; t < t0 + count; t++) {
					int r = r0;
					for (; r + 3 < r1; r += 4) {
						fourRowsTimesOneToken(r, x, t, out);
					}
					for (; r < r1; r++) {
						rowTimesTokens(r, x, t, 1, out);
					}
				}
			}
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
		void fourRowsTimesOneToken(int r, float[] x, int t, float[] out) {
			if (Simd.AVAILABLE) {
				VectorMatrixKernels.fp32FourRowsOne(this.weights, this.cols, x, t, out, this.rows, r);
				return;
			}
			super.fourRowsTimesOneToken(r, x, t, out);
		}

		@Override
		void twoRowsTimesFourTokens(int r, float[] x, int t0, float[] out) {
			if (Simd.AVAILABLE) {
				VectorMatrixKernels.fp32TwoRowsFour(this.weights, r * this.cols, this.cols, x, t0, out, this.rows, r);
				return;
			}
			super.twoRowsTimesFourTokens(r, x, t0, out);
		}

		@Override
		void rowTimesTokens(int r, float[] x, int t0, int count, float[] out) {
			int w = r * this.cols;
			if (Simd.AVAILABLE) {
				VectorMatrixKernels.fp32(this.weights, w, this.cols, x, t0, count, out, this.rows, r);
				return;
			}
			for (int t = t0; t < t0 + count; t++) {
				float sum = 0;
				int xo = t * this.cols;
				for (int c = 0; c < this.cols; c++) {
					sum += this.weights[w + c] * x[xo + c];
				}
				out[t * this.rows + r] = sum;
			}
		}

	}

	/** Q8_0: 32 signed bytes per block sharing one scale (kept here as a float). */
	static final class Q8 extends CpuMatrix {

		private final byte[] quants;

		private final float[] scales;

		private Q8(int rows, int cols, byte[] quants, float[] scales) {
			super(rows, cols);
			this.quants = quants;
			this.scales = scales;
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
			int q = row * this.cols;
			for (int c = 0; c < this.cols; c++) {
				out[offset + c] = this.scales[(q + c) / 32] * this.quants[q + c];
			}
		}

		@Override
		void rowTimesTokens(int r, float[] x, int t0, int count, float[] out) {
			if (Simd.AVAILABLE) {
				VectorMatrixKernels.q8(this.quants, this.scales, r, this.cols, x, t0, count, out, this.rows);
				return;
			}
			int q = r * this.cols;
			int blocks = this.cols / 32;
			for (int t = t0; t < t0 + count; t++) {
				int xo = t * this.cols;
				float sum = 0;
				for (int b = 0; b < blocks; b++) {
					float blockSum = 0;
					for (int i = 0; i < 32; i++) {
						blockSum += this.quants[q + b * 32 + i] * x[xo + b * 32 + i];
					}
					sum += this.scales[r * blocks + b] * blockSum;
				}
				out[t * this.rows + r] = sum;
			}
		}

	}

}
