package io.fulcrum.backend.encoder.cpu;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SIMD and the plain dense kernels against a double-precision product, at sizes that leave ragged edges. */
class DenseKernelTests {

	@Test
	void theTestJvmRunsTheSimdPath() {
		assertThat(CpuKernels.VECTOR).as("surefire runs the engine's tests with --add-modules jdk.incubator.vector")
			.isTrue();
	}

	@Test
	void simdAndPlainBlocksComputeTheSameProductWithRaggedEdges() {
		Random random = new Random(5);
		for (int[] size : new int[][] { { 7, 37, 100 }, { 1, 384, 384 }, { 5, 3, 33 }, { 4, 64, 64 }, { 9, 1, 70 } }) {
			int rows = size[0];
			int k = size[1];
			int n = size[2];
			float[] x = random(random, rows * k);
			float[] w = random(random, k * n);
			float[] bias = random(random, n);
			float[] plain = new float[rows * n];
			CpuKernels.scalarBlock(x, 0, rows, k, w, bias, n, plain, 0, n);
			float[] simd = new float[rows * n];
			int from = VectorDense.block(x, 0, rows, k, w, bias, n, simd, 0, n);
			CpuKernels.scalarBlock(x, 0, rows, k, w, bias, n, simd, from, n);
			for (int r = 0; r < rows; r++) {
				for (int c = 0; c < n; c++) {
					double exact = bias[c];
					for (int i = 0; i < k; i++) {
						exact += (double) x[r * k + i] * w[i * n + c];
					}
					assertThat((double) plain[r * n + c]).as("plain %s at %d,%d", java.util.Arrays.toString(size), r, c)
						.isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(exact))));
					assertThat((double) simd[r * n + c]).as("simd %s at %d,%d", java.util.Arrays.toString(size), r, c)
						.isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(exact))));
				}
			}
		}
	}

	private static float[] random(Random random, int n) {
		float[] values = new float[n];
		for (int i = 0; i < n; i++) {
			values[i] = random.nextFloat() * 2 - 1;
		}
		return values;
	}

}
