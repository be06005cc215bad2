package io.fulcrum.backend.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: for synthetic models in benchmarks and tests, in the same layout llama.cpp writes.
 * Tensors are given as floats and stored in the type asked for (F32, F16 or Q8_0, quantised as llama.cpp does).
 * Data are streamed out tensor by tensor through a {@link TensorSource}, so a multi-gigabyte model never needs to be
 * in memory at once.
 */
public final class GgufWriter {

	private static final int ALIGNMENT = 32;

	/** Produces one tensor's values when the writer reaches it. */
	@FunctionalInterface
	public interface TensorSource {

		float[] values();

	}

	private record PendingTensor(String name, GgmlType type, long[] dims, TensorSource source, long bytes) {
	}

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	private final List<PendingTensor> tensors = new ArrayList<>();

	/** Adds a metadata entry: String, Long/Integer (written as int32 when it fits, else int64), Float/Double (as float32), Boolean, or a List of strings, float[] or long[] / int[]. */
	public GgufWriter put(String key, Object value) {
		this.metadata.put(key, value);
		return this;
	}

	/** Adds a tensor; {@code dims} fastest-varying first (a matrix of {@code rows} over {@code cols}: {@code [cols, rows]}). */
	public GgufWriter tensor(String name, GgmlType type, long[] dims, TensorSource source) {
		if (!type.supported()) {
			throw new IllegalArgumentException("cannot write " + type);
		}
		long elements = 1;
		for (long d : dims) {
			elements *= d;
		}
		this.tensors.add(new PendingTensor(name, type, dims.clone(), source, type.bytesFor(elements)));
		return this;
	}

	/** Writes the file. */
	public void write(Path path) throws IOException {
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
			Sink sink = new Sink(out);
			sink.i32(GgufFile.MAGIC);
			sink.i32(3);
			sink.i64(this.tensors.size());
			sink.i64(this.metadata.size());
			for (Map.Entry<String, Object> entry : this.metadata.entrySet()) {
				sink.string(entry.getKey());
				sink.value(entry.getValue());
			}
			long offset = 0;
			for (PendingTensor tensor : this.tensors) {
				sink.string(tensor.name);
				sink.i32(tensor.dims.length);
				for (long d : tensor.dims) {
					sink.i64(d);
				}
				sink.i32(tensor.type.id());
				sink.i64(offset);
				offset = align(offset + tensor.bytes);
			}
			sink.pad();
			for (PendingTensor tensor : this.tensors) {
				float[] values = tensor.source.values();
				if (values.length * (long) tensor.type.blockBytes() / tensor.type.blockSize() != tensor.bytes) {
					throw new IllegalArgumentException(tensor.name + " got " + values.length + " values");
				}
				sink.bytes(encode(tensor.type, values));
				sink.pad();
			}
		}
	}

	/** Encodes floats as {@code type} (round to nearest for F16; llama.cpp's reference Q8_0 quantisation). */
	public static byte[] encode(GgmlType type, float[] values) {
		ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(type.bytesFor(values.length))).order(ByteOrder.LITTLE_ENDIAN);
		switch (type) {
			case F32 -> buffer.asFloatBuffer().put(values);
			case F16 -> {
				for (float v : values) {
					buffer.putShort(GgmlDecoding.floatToHalf(v));
				}
			}
			case Q8_0 -> {
				for (int block = 0; block < values.length / 32; block++) {
					float max = 0;
					for (int i = 0; i < 32; i++) {
						max = Math.max(max, Math.abs(values[block * 32 + i]));
					}
					float scale = max / 127f;
					float inverse = scale != 0 ? 1f / scale : 0f;
					buffer.putShort(GgmlDecoding.floatToHalf(scale));
					for (int i = 0; i < 32; i++) {
						buffer.put((byte) Math.round(values[block * 32 + i] * inverse));
					}
				}
			}
			default -> throw new IllegalArgumentException("cannot encode " + type);
		}
		return buffer.array();
	}

	private static long align(long offset) {
		return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
	}

	private static final class Sink {

		private final OutputStream out;

		private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

		private long written;

		Sink(OutputStream out) {
			this.out = out;
		}

		void i32(int v) throws IOException {
			this.scratch.clear();
			this.scratch.putInt(v);
			bytes(this.scratch.array(), 4);
		}

		void i64(long v) throws IOException {
			this.scratch.clear();
			this.scratch.putLong(v);
			bytes(this.scratch.array(), 8);
		}

		void f32(float v) throws IOException {
			i32(Float.floatToRawIntBits(v));
		}

		void string(String s) throws IOException {
			byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
			i64(bytes.length);
			bytes(bytes);
		}

		void value(Object value) throws IOException {
			if (value instanceof String s) {
				i32(8);
				string(s);
			}
			else if (value instanceof Boolean b) {
				i32(7);
				bytes(new byte[] { (byte) (b ? 1 : 0) });
			}
			else if (value instanceof Float || value instanceof Double) {
				i32(6);
				f32(((Number) value).floatValue());
			}
			else if (value instanceof Integer || value instanceof Long) {
				long v = ((Number) value).longValue();
				if (v == (int) v) {
					i32(5);
					i32((int) v);
				}
				else {
					i32(11);
					i64(v);
				}
			}
			else if (value instanceof float[] floats) {
				i32(9);
				i32(6);
				i64(floats.length);
				for (float f : floats) {
					f32(f);
				}
			}
			else if (value instanceof int[] ints) {
				i32(9);
				i32(5);
				i64(ints.length);
				for (int v : ints) {
					i32(v);
				}
			}
			else if (value instanceof long[] longs) {
				i32(9);
				i32(11);
				i64(longs.length);
				for (long v : longs) {
					i64(v);
				}
			}
			else if (value instanceof List<?> list) {
				i32(9);
				i32(8);
				i64(list.size());
				for (Object item : list) {
					string((String) item);
				}
			}
			else {
				throw new IllegalArgumentException("unsupported metadata value " + value.getClass());
			}
		}

		void bytes(byte[] bytes) throws IOException {
			bytes(bytes, bytes.length);
		}

		void bytes(byte[] bytes, int length) throws IOException {
			this.out.write(bytes, 0, length);
			this.written += length;
		}

		void pad() throws IOException {
			long padded = align(this.written);
			while (this.written < padded) {
				this.out.write(0);
				this.written++;
			}
		}

	}

}
