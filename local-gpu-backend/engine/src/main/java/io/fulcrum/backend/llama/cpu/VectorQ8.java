package io.fulcrum.backend.llama.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Widens Q8_0 blocks to fp32 with explicit SIMD: as many bytes as a float vector has lanes are loaded, converted and
 * scaled at once. Loaded only when {@link io.fulcrum.backend.cpu.Simd#AVAILABLE}.
 */
final class VectorQ8 {

	private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

	private static final int LANES = FLOATS.length();

	private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * 8));

	private VectorQ8() {
	}

	static void widen(byte[] quants, float[] scales, int from, int count, float[] out, int offset) {
		for (int block = 0; block < count / 32; block++) {
			int q = from + block * 32;
			float scale = scales[q / 32];
			for (int i = 0; i < 32; i += LANES) {
				((FloatVector) ByteVector.fromArray(BYTES, quants, q + i).castShape(FLOATS, 0)).mul(scale)
					.intoArray(out, offset + block * 32 + i);
			}
		}
	}

}
