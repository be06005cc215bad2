package io.fulcrum.backend.llama.cpu;

import io.fulcrum.backend.cpu.Simd;

/**
 * Multiplies a tile of fp32 weight rows against a step's tokens: tokens four at a time, two rows against four tokens
 * ({@link VectorMatrixKernels#fp32TwoRowsFour}), and for fewer than four tokens four rows against one. With the
 * Vector API every kernel sums a (row, token) pair the same way; the scalar loops sum each pair in column order.
 * Either way a token's result does not depend on the other tokens of its step.
 */
final class Fp32Kernels {

	private Fp32Kernels() {
	}

	/**
	 * {@code out[t * rows + r] = w[row r] · x[t]} for rows {@code r0..r1} and every token, row {@code r} being at
	 * {@code (r - origin) * cols} in {@code w}.
	 */
	static void multiplyTile(float[] w, int origin, int cols, int r0, int r1, float[] x, int tokens, float[] out,
			int rows) {
		if (!Simd.AVAILABLE) {
			for (int t = 0; t < tokens; t++) {
				int xo = t * cols;
				for (int r = r0; r < r1; r++) {
					int wo = (r - origin) * cols;
					float sum = 0;
					for (int c = 0; c < cols; c++) {
						sum += w[wo + c] * x[xo + c];
					}
					out[t * rows + r] = sum;
				}
			}
			return;
		}
		for (int t0 = 0; t0 < tokens; t0 += 4) {
			int count = Math.min(4, tokens - t0);
			if (count == 4) {
				int r = r0;
				for (; r + 1 < r1; r += 2) {
					VectorMatrixKernels.fp32TwoRowsFour(w, (r - origin) * cols, cols, x, t0, out, rows, r);
				}
				for (; r < r1; r++) {
					VectorMatrixKernels.fp32(w, (r - origin) * cols, cols, x, t0, 4, out, rows, r);
				}
				continue;
			}
			for (int t = t0; t < t0 + count; t++) {
				int r = r0;
				for (; r + 3 < r1; r += 4) {
					VectorMatrixKernels.fp32FourRowsOne(w, (r - origin) * cols, cols, x, t, out, rows, r);
				}
				for (; r < r1; r++) {
					VectorMatrixKernels.fp32(w, (r - origin) * cols, cols, x, t, 1, out, rows, r);
				}
			}
		}
	}

}
