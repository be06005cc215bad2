package io.fulcrum.backend.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor stored in an ONNX file (an initializer or a {@code Constant} node's value), as read: element type,
 * dimensions and its little-endian raw bytes (or the typed values, where the file used the repeated fields).
 *
 * @param name the tensor's name in the graph; empty for a constant's value
 * @param dataType ONNX {@code TensorProto.DataType} code (1 float, 7 int64, ...)
 * @param dims dimensions, outermost first
 * @param raw little-endian contents (ONNX's {@code raw_data}, or the repeated fields re-encoded)
 */
public record OnnxTensor(String name, int dataType, long[] dims, byte[] raw) {

	/** ONNX's code for fp32. */
	public static final int FLOAT = 1;

	/** ONNX's code for int64. */
	public static final int INT64 = 7;

	/** Number of elements. */
	public long elementCount() {
		long n = 1;
		for (long d : this.dims) {
			n *= d;
		}
		return n;
	}

	/** The values of an fp32 tensor. */
	public float[] floats() {
		if (this.dataType != FLOAT) {
			throw new IllegalArgumentException("tensor '" + this.name + "' holds ONNX type " + this.dataType + ", not float");
		}
		float[] values = new float[Math.toIntExact(elementCount())];
		if (this.raw.length != values.length * Float.BYTES) {
			throw new IllegalArgumentException("tensor '" + this.name + "' has " + this.raw.length + " bytes for dims "
					+ Arrays.toString(this.dims));
		}
		ByteBuffer.wrap(this.raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
		return values;
	}

	/** The dimensions as ints, for tensors that fit in memory. */
	public int[] shape() {
		return Arrays.stream(this.dims).mapToInt(Math::toIntExact).toArray();
	}

	/** A scalar (or one-element) float constant's value. */
	public float scalar() {
		float[] values = floats();
		if (values.length != 1) {
			throw new IllegalArgumentException("tensor '" + this.name + "' is not a scalar: dims " + Arrays.toString(this.dims));
		}
		return values[0];
	}

}
