package io.fulcrum.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax's exponentials with the Vector API, whose {@code EXP} HotSpot compiles to the CPU's vector math
 * routines (SVML on x86, within 1 ulp): attention takes one exponential per query and key, which one scalar
 * {@code Math.exp} at a time made as costly as all the dense layers. Loaded only when {@link Simd#AVAILABLE}.
 */
public final class VectorExp {

	private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

	private VectorExp() {
	}

	/** {@code values[j] = exp(values[j] - max)} for {@code j < n}; returns their sum. */
	public static double expShifted(float[] values, int n, float max) {
		int lanes = SPECIES.length();
		int j = 0;
		FloatVector sum = FloatVector.zero(SPECIES);
		for (; j + lanes <= n; j += lanes) {
			FloatVector e = FloatVector.fromArray(SPECIES, values, j).sub(max).lanewise(VectorOperators.EXP);
			e.intoArray(values, j);
			sum = sum.add(e);
		}
		double total = sum.reduceLanes(VectorOperators.ADD);
		for (; j < n; j++) {
			float e = (float) Math.exp(values[j] - max);
			values[j] = e;
			total += e;
		}
		return total;
	}

}
