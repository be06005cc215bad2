package io.fulcrum.backend.encoder.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense layer's inner block with explicit SIMD (the JDK's Vector API): four output rows by two vectors of
 * columns are held in registers for the whole reduction over {@code k}, so each weight load feeds four fused
 * multiply-adds and no output is loaded or stored inside the loop. Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link CpuKernels}); the scalar loop is the fallback.
 */
final class VectorDense {

	private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

	private static final int LANES = SPECIES.length();

	private VectorDense() {
	}

	/** Lanes per vector on this machine (16 with AVX-512, 8 with AVX2). */
	static int lanes() {
		return LANES;
	}

	/**
	 * {@code out[r, c0..c1) = bias + x[r, :] · w[:, c0..c1)} for rows {@code r0..r1}; columns beyond the last full
	 * vector are left to the caller.
	 * @return the first column not written
	 */
	static int block(float[] x, int r0, int r1, int k, float[] w, float[] bias, int n, float[] out, int c0,
			int c1) {
		int width = 2 * LANES;
		int end = c0 + (c1 - c0) / width * width;
		for (int c = c0; c < end; c += width) {
			int r = r0;
			for (; r + 3 < r1; r += 4) {
				fourRows(x, r, k, w, bias, n, out, c);
			}
			for (; r < r1; r++) {
				oneRow(x, r, k, w, bias, n, out, c);
			}
		}
		return end;
	}

	private static void fourRows(float[] x, int r, int k, float[] w, float[] bias, int n, float[] out, int c) {
		FloatVector b0 = FloatVector.fromArray(SPECIES, bias, c);
		FloatVector b1 = FloatVector.fromArray(SPECIES, bias, c + LANES);
		FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
		int x0 = r * k;
		int x1 = x0 + k;
		int x2 = x1 + k;
		int x3 = x2 + k;
		for (int kk = 0, wr = c; kk < k; kk++, wr += n) {
			FloatVector w0 = FloatVector.fromArray(SPECIES, w, wr);
			FloatVector w1 = FloatVector.fromArray(SPECIES, w, wr + LANES);
			FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
			a00 = w0.fma(v, a00);
			a01 = w1.fma(v, a01);
			v = FloatVector.broadcast(SPECIES, x[x1 + kk]);
			a10 = w0.fma(v, a10);
			a11 = w1.fma(v, a11);
			v = FloatVector.broadcast(SPECIES, x[x2 + kk]);
			a20 = w0.fma(v, a20);
			a21 = w1.fma(v, a21);
			v = FloatVector.broadcast(SPECIES, x[x3 + kk]);
			a30 = w0.fma(v, a30);
			a31 = w1.fma(v, a31);
		}
		int o = r * n + c;
		a00.intoArray(out, o);
		a01.intoArray(out, o + LANES);
		a10.intoArray(out, o + n);
		a11.intoArray(out, o + n + LANES);
		a20.intoArray(out, o + 2 * n);
		a21.intoArray(out, o + 2 * n + LANES);
		a30.intoArray(out, o + 3 * n);
		a31.intoArray(out, o + 3 * n + LANES);
	}

	private static void oneRow(float[] x, int r, int k, float[] w, float[] bias, int n, float[] out, int c) {
		FloatVector a0 = FloatVector.fromArray(SPECIES, bias, c);
		FloatVector a1 = FloatVector.fromArray(SPECIES, bias, c + LANES);
		int x0 = r * k;
		for (int kk = 0, wr = c; kk < k; kk++, wr += n) {
			FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
			a0 = FloatVector.fromArray(SPECIES, w, wr).fma(v, a0);
			a1 = FloatVector.fromArray(SPECIES, w, wr + LANES).fma(v, a1);
		}
		int o = r * n + c;
		a0.intoArray(out, o);
		a1.intoArray(out, o + LANES);
	}

}
