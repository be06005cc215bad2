package io.fulcrum.backend.bert;

import java.util.Arrays;

/**
 * A dense fp32 tensor in row-major order, as the weights of an encoder are held on the host.
 *
 * @param name where it came from (the initializer's name in the model file), for error messages
 * @param shape dimensions, outermost first
 * @param data {@code product(shape)} values, row-major
 */
public record Tensor(String name, int[] shape, float[] data) {

	public Tensor {
		long size = 1;
		for (int d : shape) {
			size *= d;
		}
		if (size != data.length) {
			throw new IllegalArgumentException(
					"tensor " + name + ": shape " + Arrays.toString(shape) + " needs " + size + " values, has " + data.length);
		}
	}

	/** Fails with a clear message unless this tensor has exactly the expected shape. */
	public Tensor expectShape(int... expected) {
		if (!Arrays.equals(this.shape, expected)) {
			throw new IllegalArgumentException("tensor " + this.name + ": shape " + Arrays.toString(this.shape)
					+ ", expected " + Arrays.toString(expected));
		}
		return this;
	}

	/** Number of values. */
	public int size() {
		return this.data.length;
	}

}
