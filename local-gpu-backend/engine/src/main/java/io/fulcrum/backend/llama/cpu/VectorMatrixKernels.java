package io.fulcrum.backend.llama.cpu;

import jdk.incubator.vector.ByteVector;
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

	/** Eight bytes widen to eight floats: Q8_0's 32-value blocks are four of these. */
	private static final VectorSpecies<Byte> BYTES_8 = ByteVector.SPECIES_64;

	private static final VectorSpecies<Float> FLOATS_8 = FloatVector.SPECIES_256;

	private VectorMatrixKernels() {
	}

	static void fp32(float[] w, int wo, int cols, float[] x, int t0, int count, float[] out, int rows, int r) {
		if (count == 4) {
			fp32Four(w, wo, cols, x, t0, out, rows, r);
			return;
		}
		int end = cols / LANES * LANES;
		for (int t = t0; t < t0 + count; t++) {
			int xo = t * cols;
			FloatVector acc = FloatVector.zero(FLOATS);
			for (int c = 0; c < end; c += LANES) {
				acc = FloatVector.fromArray(FLOATS, w, wo + c).fma(FloatVector.fromArray(FLOATS, x, xo + c), acc);
			}
			float sum = acc.reduceLanes(VectorOperators.ADD);
			for (int c = end; c < cols; c++) {
				sum += w[wo + c] * x[xo + c];
			}
			out[t * rows + r] = sum;
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

	/** Q8_0 row {@code r} against up to four tokens: each block's 32 bytes widen once and feed every token. */
	static void q8(byte[] quants, float[] scales, int r, int cols, float[] x, int t0, int count, float[] out,
			int rows) {
		int blocks = cols / 32;
		int q = r * cols;
		int s = r * blocks;
		FloatVector[] acc = new FloatVector[count];
		for (int t = 0; t < count; t++) {
			acc[t] = FloatVector.zero(FLOATS_8);
		}
		for (int b = 0; b < blocks; b++) {
			int qo = q + b * 32;
			FloatVector w0 = (FloatVector) ByteVector.fromArray(BYTES_8, quants, qo).castShape(FLOATS_8, 0);
			FloatVector w1 = (FloatVector) ByteVector.fromArray(BYTES_8, quants, qo + 8).castShape(FLOATS_8, 0);
			FloatVector w2 = (FloatVector) ByteVector.fromArray(BYTES_8, quants, qo + 16).castShape(FLOATS_8, 0);
			FloatVector w3 = (FloatVector) ByteVector.fromArray(BYTES_8, quants, qo + 24).castShape(FLOATS_8, 0);
			FloatVector scale = FloatVector.broadcast(FLOATS_8, scales[s + b]);
			for (int t = 0; t < count; t++) {
				int xo = (t0 + t) * cols + b * 32;
				FloatVector block = w0.mul(FloatVector.fromArray(FLOATS_8, x, xo));
				block = w1.fma(FloatVector.fromArray(FLOATS_8, x, xo + 8), block);
				block = w2.fma(FloatVector.fromArray(FLOATS_8, x, xo + 16), block);
				block = w3.fma(FloatVector.fromArray(FLOATS_8, x, xo + 24), block);
				acc[t] = block.fma(scale, acc[t]);
			}
		}
		for (int t = 0; t < count; t++) {
			out[(t0 + t) * rows + r] = acc[t].reduceLanes(VectorOperators.ADD);
		}
	}

}
