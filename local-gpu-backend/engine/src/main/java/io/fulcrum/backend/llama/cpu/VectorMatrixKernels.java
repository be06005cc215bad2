package io.fulcrum.backend.llama.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight-row products with explicit SIMD (the JDK's Vector API): one weight load feeds up to four tokens'
 * fused multiply-adds. Loaded only when {@link io.fulcrum.backend.cpu.Simd#AVAILABLE}.
 */
final class VectorMatrixKernels {

	private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

	private static final int LANES = FLOATS.length();

	private VectorMatrixKernels() {
	}

	/**
	 * Row {@code r} against tokens {@code t0..t0+count}. Every kernel here sums a (row, token) pair the same way, one
	 * accumulator over the columns in order and then the leftover columns, so a token's result does not depend on
	 * which tokens shared its step: batching never changes a request's output.
	 */
	static void fp32(float[] w, int wo, int cols, float[] x, int t0, int count, float[] out, int rows, int r) {
		if (count == 4) {
			fp32Four(w, wo, cols, x, t0, out, rows, r);
			return;
		}
		for (int t = t0; t < t0 + count; t++) {
			out[t * rows + r] = dot(w, wo, x, t * cols, cols);
		}
	}

	static float dot(float[] w, int wo, float[] x, int xo, int cols) {
		int end = cols / LANES * LANES;
		FloatVector acc = FloatVector.zero(FLOATS);
		for (int c = 0; c < end; c += LANES) {
			acc = FloatVector.fromArray(FLOATS, w, wo + c).fma(FloatVector.fromArray(FLOATS, x, xo + c), acc);
		}
		float sum = acc.reduceLanes(VectorOperators.ADD);
		for (int c = end; c < cols; c++) {
			sum += w[wo + c] * x[xo + c];
		}
		return sum;
	}

	/**
	 * Rows {@code r..r+3} against one token: four independent accumulators (one a row), so the additions do not
	 * wait on each other, which is what a single decoding sequence needs.
	 */
	static void fp32FourRowsOne(float[] w, int wo, int cols, float[] x, int t, float[] out, int rows, int r) {
		int end = cols / LANES * LANES;
		int w0 = wo;
		int w1 = w0 + cols;
		int w2 = w1 + cols;
		int w3 = w2 + cols;
		int xo = t * cols;
		FloatVector a0 = FloatVector.zero(FLOATS);
		FloatVector a1 = a0;
		FloatVector a2 = a0;
		FloatVector a3 = a0;
		for (int c = 0; c < end; c += LANES) {
			FloatVector y = FloatVector.fromArray(FLOATS, x, xo + c);
			a0 = FloatVector.fromArray(FLOATS, w, w0 + c).fma(y, a0);
			a1 = FloatVector.fromArray(FLOATS, w, w1 + c).fma(y, a1);
			a2 = FloatVector.fromArray(FLOATS, w, w2 + c).fma(y, a2);
			a3 = FloatVector.fromArray(FLOATS, w, w3 + c).fma(y, a3);
		}
		float s0 = a0.reduceLanes(VectorOperators.ADD);
		float s1 = a1.reduceLanes(VectorOperators.ADD);
		float s2 = a2.reduceLanes(VectorOperators.ADD);
		float s3 = a3.reduceLanes(VectorOperators.ADD);
		for (int c = end; c < cols; c++) {
			float y = x[xo + c];
			s0 += w[w0 + c] * y;
			s1 += w[w1 + c] * y;
			s2 += w[w2 + c] * y;
			s3 += w[w3 + c] * y;
		}
		int o = t * rows + r;
		out[o] = s0;
		out[o + 1] = s1;
		out[o + 2] = s2;
		out[o + 3] = s3;
	}

	/**
	 * Two rows against four tokens: eight accumulators, and each of the six loads feeds more than one fused
	 * multiply-add, so a large batch is bound by arithmetic rather than by loads.
	 */
	static void fp32TwoRowsFour(float[] w, int wo, int cols, float[] x, int t0, float[] out, int rows, int r) {
		int end = cols / LANES * LANES;
		int w1o = wo + cols;
		int x0 = t0 * cols;
		int x1 = x0 + cols;
		int x2 = x1 + cols;
		int x3 = x2 + cols;
		FloatVector a00 = FloatVector.zero(FLOATS);
		FloatVector a01 = a00;
		FloatVector a02 = a00;
		FloatVector a03 = a00;
		FloatVector a10 = a00;
		FloatVector a11 = a00;
		FloatVector a12 = a00;
		FloatVector a13 = a00;
		for (int c = 0; c < end; c += LANES) {
			FloatVector v0 = FloatVector.fromArray(FLOATS, w, wo + c);
			FloatVector v1 = FloatVector.fromArray(FLOATS, w, w1o + c);
			FloatVector y = FloatVector.fromArray(FLOATS, x, x0 + c);
			a00 = v0.fma(y, a00);
			a10 = v1.fma(y, a10);
			y = FloatVector.fromArray(FLOATS, x, x1 + c);
			a01 = v0.fma(y, a01);
			a11 = v1.fma(y, a11);
			y = FloatVector.fromArray(FLOATS, x, x2 + c);
			a02 = v0.fma(y, a02);
			a12 = v1.fma(y, a12);
			y = FloatVector.fromArray(FLOATS, x, x3 + c);
			a03 = v0.fma(y, a03);
			a13 = v1.fma(y, a13);
		}
		float[] sums = { a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
				a02.reduceLanes(VectorOperators.ADD), a03.reduceLanes(VectorOperators.ADD),
				a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
				a12.reduceLanes(VectorOperators.ADD), a13.reduceLanes(VectorOperators.ADD) };
		for (int c = end; c < cols; c++) {
			for (int t = 0; t < 4; t++) {
				float xv = x[x0 + t * cols + c];
				sums[t] += w[wo + c] * xv;
				sums[4 + t] += w[w1o + c] * xv;
			}
		}
		for (int t = 0; t < 4; t++) {
			out[(t0 + t) * rows + r] = sums[t];
			out[(t0 + t) * rows + r + 1] = sums[4 + t];
		}
	}

	private static void fp32Four(float[] w, int wo, int cols, float[] x, int t0, float[] out, int rows, int r) {
		int end = cols / LANES * LANES;
		int x0 = t0 * cols;
		int x1 = x0 + cols;
		int x2 = x1 + cols;
		int x3 = x2 + cols;
		FloatVector a0 = FloatVector.zero(FLOATS);
		FloatVector a1 = a0;
		FloatVector a2 = a0;
		FloatVector a3 = a0;
		for (int c = 0; c < end; c += LANES) {
			FloatVector v = FloatVector.fromArray(FLOATS, w, wo + c);
			a0 = v.fma(FloatVector.fromArray(FLOATS, x, x0 + c), a0);
			a1 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + c), a1);
			a2 = v.fma(FloatVector.fromArray(FLOATS, x, x2 + c), a2);
			a3 = v.fma(FloatVector.fromArray(FLOATS, x, x3 + c), a3);
		}
		float s0 = a0.reduceLanes(VectorOperators.ADD);
		float s1 = a1.reduceLanes(VectorOperators.ADD);
		float s2 = a2.reduceLanes(VectorOperators.ADD);
		float s3 = a3.reduceLanes(VectorOperators.ADD);
		for (int c = end; c < cols; c++) {
			float v = w[wo + c];
			s0 += v * x[x0 + c];
			s1 += v * x[x1 + c];
			s2 += v * x[x2 + c];
			s3 += v * x[x3 + c];
		}
		out[t0 * rows + r] = s0;
		out[(t0 + 1) * rows + r] = s1;
		out[(t0 + 2) * rows + r] = s2;
		out[(t0 + 3) * rows + r] = s3;
	}

}
