package io.fulcrum.backend.gguf;

import java.nio.ByteBuffer;

/** Decodes F32, F16 and Q8_0 data into floats. */
public final class GgmlDecoding {

	private static final float[] HALF_TO_FLOAT = new float[1 << 16];

	static {
		for (int h = 0; h < HALF_TO_FLOAT.length; h++) {
			HALF_TO_FLOAT[h] = halfToFloatSlow((short) h);
		}
	}

	private GgmlDecoding() {
	}

	/** IEEE 754 binary16 to float, by table. */
	public static float halfToFloat(short half) {
		return HALF_TO_FLOAT[half & 0xffff];
	}

	/** Float to IEEE 754 binary16, rounding to nearest even (what numpy's {@code astype(float16)} does). */
	public static short floatToHalf(float value) {
		int bits = Float.floatToRawIntBits(value);
		int sign = (bits >>> 16) & 0x8000;
		int exp = (bits >>> 23) & 0xff;
		int mantissa = bits & 0x7fffff;
		if (exp == 0xff) {
			return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
		}
		int e = exp - 127 + 15;
		if (e >= 0x1f) {
			return (short) (sign | 0x7c00);
		}
		if (e <= 0) {
			if (e < -10) {
				return (short) sign;
			}
			mantissa |= 0x800000;
			int shift = 14 - e;
			int half = mantissa >> shift;
			int rest = mantissa & ((1 << shift) - 1);
			int midpoint = 1 << (shift - 1);
			if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
				half++;
			}
			return (short) (sign | half);
		}
		int half = (e << 10) | (mantissa >> 13);
		int rest = mantissa & 0x1fff;
		if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
			half++;
		}
		return (short) (sign | half);
	}

	private static float halfToFloatSlow(short half) {
		int h = half & 0xffff;
		int sign = (h & 0x8000) << 16;
		int exp = (h >>> 10) & 0x1f;
		int mantissa = h & 0x3ff;
		if (exp == 0x1f) {
			return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
		}
		if (exp == 0) {
			if (mantissa == 0) {
				return Float.intBitsToFloat(sign);
			}
			float value = mantissa / 1024f / 16384f;
			return sign != 0 ? -value : value;
		}
		return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mantissa << 13));
	}

	/** Decodes {@code count} values of {@code type} starting at the buffer's position. */
	public static float[] toFloats(GgmlType type, ByteBuffer data, int count) {
		float[] out = new float[count];
		switch (type) {
			case F32 -> data.asFloatBuffer().get(out);
			case F16 -> {
				for (int i = 0; i < count; i++) {
					out[i] = halfToFloat(data.getShort());
				}
			}
			case Q8_0 -> {
				for (int block = 0; block < count / 32; block++) {
					float scale = halfToFloat(data.getShort());
					for (int i = 0; i < 32; i++) {
						out[block * 32 + i] = scale * data.get();
					}
				}
			}
			default -> throw new GgufFormatException("tensors of type " + type + " are not supported (F32, F16 and Q8_0 are)");
		}
		return out;
	}

}
