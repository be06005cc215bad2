package io.fulcrum.backend.gguf;

/**
 * The element types a GGUF tensor can have, with their block layout. Only {@link #F32}, {@link #F16} and
 * {@link #Q8_0} can be computed with; the others are named so that a file using them is refused by name.
 */
public enum GgmlType {

	F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q4_1(3, 32, 20), Q5_0(6, 32, 22), Q5_1(7, 32, 24),
	/** Blocks of 32 signed bytes sharing one fp16 scale: 34 bytes per 32 values. */
	Q8_0(8, 32, 34), Q8_1(9, 32, 36), Q2_K(10, 256, 84), Q3_K(11, 256, 110), Q4_K(12, 256, 144),
	Q5_K(13, 256, 176), Q6_K(14, 256, 210), Q8_K(15, 256, 292), I8(24, 1, 1), I16(25, 1, 2), I32(26, 1, 4),
	I64(27, 1, 8), F64(28, 1, 8), BF16(30, 1, 2);

	private final int id;

	private final int blockSize;

	private final int blockBytes;

	GgmlType(int id, int blockSize, int blockBytes) {
		this.id = id;
		this.blockSize = blockSize;
		this.blockBytes = blockBytes;
	}

	/** The type's number in the file. */
	public int id() {
		return this.id;
	}

	/** Values per block (1 for plain types). */
	public int blockSize() {
		return this.blockSize;
	}

	/** Bytes per block. */
	public int blockBytes() {
		return this.blockBytes;
	}

	/** Bytes that {@code elements} values take; {@code elements} must be a whole number of blocks. */
	public long bytesFor(long elements) {
		if (elements % this.blockSize != 0) {
			throw new GgufFormatException(
					elements + " values of type " + this + " are not a whole number of " + this.blockSize + "-value blocks");
		}
		return elements / this.blockSize * this.blockBytes;
	}

	/** Whether the engine can compute with tensors of this type. */
	public boolean supported() {
		return this == F32 || this == F16 || this == Q8_0;
	}

	static GgmlType byId(int id) {
		for (GgmlType type : values()) {
			if (type.id == id) {
				return type;
			}
		}
		throw new GgufFormatException("unknown tensor type " + id);
	}

}
