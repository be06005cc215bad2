package io.fulcrum.backend.llama.cuda;

import java.nio.ByteBuffer;
import java.util.List;

import io.fulcrum.backend.encoder.cuda.DeviceMemory;
import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufTensor;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import org.jspecify.annotations.Nullable;

/**
 * A weight matrix on the device: {@code rows} outputs of {@code cols} inputs, row-major, in its file's type. F32
 * and F16 are copied as they are; Q8_0 (blocks of an fp16 scale and 32 int8) is repacked into its int8 values
 * ({@link #values()}, {@code rows * cols} bytes) and its scales ({@link #scales()}, one fp16 per 32 values, in block
 * order), the same bytes less the interleaving, so a row's values are contiguous and 16-byte aligned for the
 * kernels' 128-bit loads.
 *
 * @param type F32, F16 or Q8_0
 * @param rows outputs
 * @param cols inputs
 * @param values the values (F32, F16) or the int8 quants (Q8_0)
 * @param scales Q8_0's scales, null for the other types
 */
record DeviceMatrix(GgmlType type, int rows, int cols, CUdeviceptr values, @Nullable CUdeviceptr scales) {

	/** Bytes copied from the host at a time. */
	private static final int STAGING = 1 << 24;

	/** Bytes the matrix occupies on the device. */
	long bytes() {
		return this.type.bytesFor((long) this.rows * this.cols);
	}

	/**
	 * Uploads {@code parts} stacked by rows (q, k and v, say, to be one launch): all must have the same number of
	 * columns. Parts of one type keep it; parts of different types are all converted to F32.
	 */
	static DeviceMatrix upload(DeviceMemory memory, String what, List<GgufTensor> parts) {
		int cols = parts.get(0).cols();
		GgmlType type = parts.get(0).type();
		long rows = 0;
		for (GgufTensor t : parts) {
			if (t.cols() != cols) {
				throw new IllegalArgumentException(what + ": " + t.name() + " has " + t.cols() + " columns, not " + cols);
			}
			if (!t.type().supported()) {
				throw new IllegalArgumentException(what + ": " + t.name() + " is " + t.type()
						+ "; only F32, F16 and Q8_0 weights are supported");
			}
			if (t.type() != type) {
				type = GgmlType.F32;
			}
			rows += t.rows();
		}
		boolean convert = parts.stream().anyMatch(t -> t.type() != parts.get(0).type());
		int r = Math.toIntExact(rows);
		long count = rows * cols;
		CUdeviceptr values = memory.allocate(type == GgmlType.Q8_0 ? count : type.bytesFor(count), what);
		CUdeviceptr scales = type == GgmlType.Q8_0 ? memory.allocate(count / 32 * 2, what + " (Q8_0 scales)") : null;
		long valueOffset = 0;
		long scaleOffset = 0;
		for (GgufTensor t : parts) {
			long n = t.elements();
			if (convert) {
				float[] f = t.toFloats();
				memory.copyIn(values.withByteOffset(valueOffset), f, f.length);
				valueOffset += n * Sizeof.FLOAT;
			}
			else if (type == GgmlType.Q8_0) {
				repackQ8(memory, data(t), n, values.withByteOffset(valueOffset), scales.withByteOffset(scaleOffset));
				valueOffset += n;
				scaleOffset += n / 32 * 2;
			}
			else {
				copy(memory, data(t), values.withByteOffset(valueOffset));
				valueOffset += type.bytesFor(n);
			}
		}
		return new DeviceMatrix(type, r, cols, values, scales);
	}

	/** The tensor's bytes, exactly. */
	private static ByteBuffer data(GgufTensor t) {
		ByteBuffer b = t.bytes();
		b.limit(Math.toIntExact(t.type().bytesFor(t.elements())));
		return b;
	}

	private static void copy(DeviceMemory memory, ByteBuffer from, CUdeviceptr to) {
		byte[] chunk = new byte[Math.min(STAGING, from.remaining())];
		long at = 0;
		while (from.hasRemaining()) {
			int n = Math.min(chunk.length, from.remaining());
			from.get(chunk, 0, n);
			memory.copyIn(to.withByteOffset(at), chunk, n);
			at += n;
		}
	}

	/** Splits Q8_0 blocks (2-byte scale, 32 int8) into their quants and their scales, a staging chunk at a time. */
	private static void repackQ8(DeviceMemory memory, ByteBuffer from, long values, CUdeviceptr quants,
			CUdeviceptr scales) {
		int blocksPerChunk = STAGING / 32;
		long blocks = values / 32;
		byte[] q = new byte[(int) Math.min(blocks, blocksPerChunk) * 32];
		byte[] d = new byte[(int) Math.min(blocks, blocksPerChunk) * 2];
		for (long b0 = 0; b0 < blocks; b0 += blocksPerChunk) {
			int n = (int) Math.min(blocksPerChunk, blocks - b0);
			for (int b = 0; b < n; b++) {
				from.get(d, 2 * b, 2);
				from.get(q, 32 * b, 32);
			}
			memory.copyIn(quants.withByteOffset(b0 * 32), q, n * 32);
			memory.copyIn(scales.withByteOffset(b0 * 2), d, n * 2);
		}
	}

}
