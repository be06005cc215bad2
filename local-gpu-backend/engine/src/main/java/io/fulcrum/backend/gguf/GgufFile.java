package io.fulcrum.backend.gguf;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (version 2 or 3), opened read-only: its metadata and its tensors, whose data stay memory-mapped (so a
 * multi-gigabyte model costs no heap until a backend copies what it needs).
 * <p>
 * Metadata values are decoded to Java types: integers of every width to {@link Long} (unsigned 64-bit values above
 * {@code Long.MAX_VALUE} are refused), floats to {@link Double}, booleans, strings, and arrays to {@link List}s of
 * those, except numeric arrays, which become {@code long[]}, {@code double[]} or (for 32-bit floats, such as token
 * scores) {@code float[]}.
 */
public final class GgufFile {

	static final int MAGIC = 0x46554747; // "GGUF" read little-endian

	private static final int DEFAULT_ALIGNMENT = 32;

	private final Path path;

	private final int version;

	private final Map<String, Object> metadata;

	private final Map<String, GgufTensor> tensors;

	private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, GgufTensor> tensors) {
		this.path = path;
		this.version = version;
		this.metadata = metadata;
		this.tensors = tensors;
	}

	/** Reads the header and maps every tensor's data. */
	public static GgufFile open(Path path) throws IOException {
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
			long size = channel.size();
			ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
				.order(ByteOrder.LITTLE_ENDIAN);
			try {
				return read(path, channel, size, header);
			}
			catch (BufferUnderflowException ex) {
				throw new GgufFormatException(path + " ends inside its header: not a complete GGUF file");
			}
		}
	}

	private static GgufFile read(Path path, FileChannel channel, long size, ByteBuffer in) throws IOException {
		if (size < 24 || in.getInt() != MAGIC) {
			throw new GgufFormatException(path + " is not a GGUF file (no GGUF magic)");
		}
		int version = in.getInt();
		if (version != 2 && version != 3) {
			throw new GgufFormatException(path + " is GGUF version " + version + "; versions 2 and 3 are supported");
		}
		long tensorCount = in.getLong();
		long metadataCount = in.getLong();
		if (tensorCount < 0 || tensorCount > 1_000_000 || metadataCount < 0 || metadataCount > 1_000_000) {
			throw new GgufFormatException(path + " has an implausible header (" + tensorCount + " tensors, "
					+ metadataCount + " metadata entries)");
		}
		Map<String, Object> metadata = new LinkedHashMap<>();
		for (long i = 0; i < metadataCount; i++) {
			String key = readString(in);
			int type = in.getInt();
			metadata.put(key, readValue(in, type, key));
		}
		record Info(String name, GgmlType type, long[] dims, long offset) {
		}
		List<Info> infos = new ArrayList<>();
		for (long i = 0; i < tensorCount; i++) {
			String name = readString(in);
			int nDims = in.getInt();
			if (nDims < 1 || nDims > 4) {
				throw new GgufFormatException("tensor " + name + " has " + nDims + " dimensions");
			}
			long[] dims = new long[nDims];
			for (int d = 0; d < nDims; d++) {
				dims[d] = in.getLong();
			}
			infos.add(new Info(name, GgmlType.byId(in.getInt()), dims, in.getLong()));
		}
		int alignment = DEFAULT_ALIGNMENT;
		if (metadata.get("general.alignment") instanceof Long value) {
			alignment = Math.toIntExact(value);
		}
		long dataStart = (in.position() + alignment - 1) / alignment * alignment;
		Map<String, GgufTensor> tensors = new LinkedHashMap<>();
		for (Info info : infos) {
			long elements = 1;
			for (long d : info.dims) {
				elements *= d;
			}
			long bytes = info.type.bytesFor(elements);
			long start = dataStart + info.offset;
			if (start + bytes > size) {
				throw new GgufFormatException("tensor " + info.name + " runs past the end of " + path
						+ " (the file is truncated)");
			}
			if (bytes > Integer.MAX_VALUE) {
				throw new GgufFormatException("tensor " + info.name + " is larger than 2 GiB");
			}
			MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, start, bytes);
			tensors.put(info.name, new GgufTensor(info.name, info.type, info.dims, data.asReadOnlyBuffer()));
		}
		return new GgufFile(path, version, Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors));
	}

	private static String readString(ByteBuffer in) {
		long length = in.getLong();
		if (length < 0 || length > in.remaining()) {
			throw new GgufFormatException("a string of " + length + " bytes runs past the header");
		}
		byte[] bytes = new byte[(int) length];
		in.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static Object readValue(ByteBuffer in, int type, String key) {
		return switch (type) {
			case 0 -> (long) (in.get() & 0xff);
			case 1 -> (long) in.get();
			case 2 -> (long) (in.getShort() & 0xffff);
			case 3 -> (long) in.getShort();
			case 4 -> in.getInt() & 0xffffffffL;
			case 5 -> (long) in.getInt();
			case 6 -> (double) in.getFloat();
			case 7 -> in.get() != 0;
			case 8 -> readString(in);
			case 9 -> readArray(in, key);
			case 10, 11 -> {
				long value = in.getLong();
				if (type == 10 && value < 0) {
					throw new GgufFormatException("metadata " + key + " is an unsigned value above 2^63");
				}
				yield value;
			}
			case 12 -> in.getDouble();
			default -> throw new GgufFormatException("metadata " + key + " has unknown value type " + type);
		};
	}

	private static Object readArray(ByteBuffer in, String key) {
		int elementType = in.getInt();
		long count = in.getLong();
		if (count < 0 || count > in.remaining()) {
			throw new GgufFormatException("metadata array " + key + " of " + count + " values runs past the header");
		}
		int n = (int) count;
		switch (elementType) {
			case 6 -> {
				float[] values = new float[n];
				for (int i = 0; i < n; i++) {
					values[i] = in.getFloat();
				}
				return values;
			}
			case 12 -> {
				double[] values = new double[n];
				for (int i = 0; i < n; i++) {
					values[i] = in.getDouble();
				}
				return values;
			}
			case 0, 1, 2, 3, 4, 5, 10, 11 -> {
				long[] values = new long[n];
				for (int i = 0; i < n; i++) {
					values[i] = (Long) readValue(in, elementType, key);
				}
				return values;
			}
			default -> {
				List<Object> values = new ArrayList<>(n);
				for (int i = 0; i < n; i++) {
					values.add(readValue(in, elementType, key));
				}
				return Collections.unmodifiableList(values);
			}
		}
	}

	/** The file this was read from. */
	public Path path() {
		return this.path;
	}

	/** The format version (2 or 3). */
	public int version() {
		return this.version;
	}

	/** Every metadata entry, in file order. */
	public Map<String, Object> metadata() {
		return this.metadata;
	}

	/** Every tensor by name, in file order. */
	public Map<String, GgufTensor> tensors() {
		return this.tensors;
	}

	/** The named tensor; a clear error when the file lacks it. */
	public GgufTensor tensor(String name) {
		GgufTensor tensor = this.tensors.get(name);
		if (tensor == null) {
			throw new GgufFormatException(this.path.getFileName() + " has no tensor " + name);
		}
		return tensor;
	}

	/** Whether the file has the named tensor. */
	public boolean hasTensor(String name) {
		return this.tensors.containsKey(name);
	}

	/** The named string entry; a clear error when missing. */
	public String string(String key) {
		if (this.metadata.get(key) instanceof String value) {
			return value;
		}
		throw missing(key, "a string");
	}

	/** The named string entry, or {@code fallback}. */
	public String string(String key, String fallback) {
		return this.metadata.get(key) instanceof String value ? value : fallback;
	}

	/** The named integer entry; a clear error when missing. */
	public long integer(String key) {
		if (this.metadata.get(key) instanceof Long value) {
			return value;
		}
		throw missing(key, "an integer");
	}

	/** The named integer entry, or {@code fallback}. */
	public long integer(String key, long fallback) {
		return this.metadata.get(key) instanceof Long value ? value : fallback;
	}

	/** The named floating-point entry, or {@code fallback}. */
	public double real(String key, double fallback) {
		return this.metadata.get(key) instanceof Double value ? value : fallback;
	}

	/** The named boolean entry, or {@code fallback}. */
	public boolean bool(String key, boolean fallback) {
		return this.metadata.get(key) instanceof Boolean value ? value : fallback;
	}

	/** The named array of strings, or an empty list. */
	public List<String> strings(String key) {
		if (this.metadata.get(key) instanceof List<?> list) {
			List<String> out = new ArrayList<>(list.size());
			for (Object value : list) {
				out.add((String) value);
			}
			return out;
		}
		return List.of();
	}

	/** The named array of 32-bit floats, or {@code null}. */
	public float @org.jspecify.annotations.Nullable [] floats(String key) {
		return this.metadata.get(key) instanceof float[] values ? values : null;
	}

	/** The named array of integers, or {@code null}. */
	public long @org.jspecify.annotations.Nullable [] integers(String key) {
		return this.metadata.get(key) instanceof long[] values ? values : null;
	}

	private GgufFormatException missing(String key, String what) {
		return new GgufFormatException(this.path.getFileName() + " lacks metadata " + key + " (" + what + ")");
	}

}
