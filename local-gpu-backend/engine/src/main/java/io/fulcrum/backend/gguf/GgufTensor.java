package io.fulcrum.backend.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One tensor of a GGUF file: its name, type, shape and (memory-mapped, little-endian) data.
 * <p>
 * {@code dims[0]} is the fastest-varying dimension, so a weight matrix of {@code rows} outputs over {@code cols}
 * inputs has {@code dims = [cols, rows]} and each output's weights are one contiguous row.
 *
 * @param name the tensor's name, e.g. {@code blk.0.attn_q.weight}
 * @param type the element type
 * @param dims the shape, fastest-varying first
 * @param data the tensor's bytes, positioned at 0, read-only
 */
public record GgufTensor(String name, GgmlType type, long[] dims, ByteBuffer data) {

	/** Number of values. */
	public long elements() {
		long n = 1;
		for (long d : this.dims) {
			n *= d;
		}
		return n;
	}

	/** Values per row ({@code dims[0]}). */
	public int cols() {
		return Math.toIntExact(this.dims[0]);
	}

	/** Number of rows (all dimensions but the first, multiplied). */
	public int rows() {
		return Math.toIntExact(elements() / this.dims[0]);
	}

	/** A fresh little-endian view of the data, so callers never share a position. */
	public ByteBuffer bytes() {
		return this.data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
	}

	/** The values as floats, whatever the type (F32, F16, Q8_0); for small tensors and tests. */
	public float[] toFloats() {
		return GgmlDecoding.toFloats(this.type, bytes(), Math.toIntExact(elements()));
	}

}
