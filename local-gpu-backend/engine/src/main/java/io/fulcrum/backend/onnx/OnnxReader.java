package io.fulcrum.backend.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * Reads an ONNX model file's graph: nodes, initializers and constants. An ONNX file is a protobuf
 * {@code ModelProto}; this reads the fields a weight loader needs straight off the wire with protobuf's own
 * {@link CodedInputStream} (field numbers from onnx.proto), and skips the rest, so no generated ONNX classes are
 * needed. Weights stored outside the file ({@code external_data}) are refused with a clear message.
 */
public final class OnnxReader {

	// ModelProto
	private static final int MODEL_GRAPH = 7;

	// GraphProto
	private static final int GRAPH_NODE = 1;

	private static final int GRAPH_INITIALIZER = 5;

	// NodeProto
	private static final int NODE_INPUT = 1;

	private static final int NODE_OUTPUT = 2;

	private static final int NODE_NAME = 3;

	private static final int NODE_OP_TYPE = 4;

	private static final int NODE_ATTRIBUTE = 5;

	// AttributeProto
	private static final int ATTRIBUTE_NAME = 1;

	private static final int ATTRIBUTE_TENSOR = 5;

	// TensorProto
	private static final int TENSOR_DIMS = 1;

	private static final int TENSOR_DATA_TYPE = 2;

	private static final int TENSOR_FLOAT_DATA = 4;

	private static final int TENSOR_INT64_DATA = 7;

	private static final int TENSOR_NAME = 8;

	private static final int TENSOR_RAW_DATA = 9;

	private static final int TENSOR_EXTERNAL_DATA = 13;

	private OnnxReader() {
	}

	/**
	 * @param model the whole model file
	 * @return its graph
	 * @throws IllegalArgumentException when the bytes are not an ONNX model this reader understands
	 */
	public static OnnxGraph read(byte[] model) {
		try {
			CodedInputStream in = CodedInputStream.newInstance(model);
			in.setSizeLimit(Integer.MAX_VALUE);
			// Sub-messages as views of the file's bytes, not copies: the graph alone is the whole 90 MB.
			in.enableAliasing(true);
			OnnxGraph graph = null;
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
					graph = readGraph(message(in));
				}
				else {
					in.skipField(tag);
				}
			}
			if (graph == null) {
				throw new IllegalArgumentException("not an ONNX model: no graph in " + model.length + " bytes");
			}
			return graph;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("not an ONNX model: " + ex.getMessage(), ex);
		}
	}

	private static CodedInputStream message(CodedInputStream in) throws IOException {
		CodedInputStream sub = CodedInputStream.newInstance(in.readByteBuffer());
		sub.setSizeLimit(Integer.MAX_VALUE);
		sub.enableAliasing(true);
		return sub;
	}

	private static OnnxGraph readGraph(CodedInputStream in) throws IOException {
		List<OnnxNode> nodes = new ArrayList<>();
		Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case GRAPH_NODE -> nodes.add(readNode(message(in)));
				case GRAPH_INITIALIZER -> {
					OnnxTensor tensor = readTensor(message(in));
					initializers.put(tensor.name(), tensor);
				}
				default -> in.skipField(tag);
			}
		}
		return new OnnxGraph(nodes, initializers);
	}

	private static OnnxNode readNode(CodedInputStream in) throws IOException {
		List<String> inputs = new ArrayList<>();
		List<String> outputs = new ArrayList<>();
		String name = "";
		String opType = "";
		Map<String, OnnxTensor> tensors = new HashMap<>();
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
				case NODE_OUTPUT -> outputs.add(in.readStringRequireUtf8());
				case NODE_NAME -> name = in.readStringRequireUtf8();
				case NODE_OP_TYPE -> opType = in.readStringRequireUtf8();
				case NODE_ATTRIBUTE -> readTensorAttribute(message(in), tensors);
				default -> in.skipField(tag);
			}
		}
		return new OnnxNode(opType, name, inputs, outputs, tensors);
	}

	private static void readTensorAttribute(CodedInputStream in, Map<String, OnnxTensor> into) throws IOException {
		String name = "";
		OnnxTensor tensor = null;
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case ATTRIBUTE_NAME -> name = in.readStringRequireUtf8();
				case ATTRIBUTE_TENSOR -> tensor = readTensor(message(in));
				default -> in.skipField(tag);
			}
		}
		if (tensor != null) {
			into.put(name, tensor);
		}
	}

	private static OnnxTensor readTensor(CodedInputStream in) throws IOException {
		List<Long> dims = new ArrayList<>();
		int dataType = 0;
		String name = "";
		byte[] raw = null;
		List<Float> floats = new ArrayList<>();
		List<Long> longs = new ArrayList<>();
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			int field = WireFormat.getTagFieldNumber(tag);
			boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
			switch (field) {
				case TENSOR_DIMS -> readLongs(in, packed, dims);
				case TENSOR_DATA_TYPE -> dataType = in.readInt32();
				case TENSOR_NAME -> name = in.readStringRequireUtf8();
				case TENSOR_RAW_DATA -> raw = in.readByteArray();
				case TENSOR_FLOAT_DATA -> {
					if (packed) {
						int limit = in.pushLimit(in.readRawVarint32());
						while (in.getBytesUntilLimit() > 0) {
							floats.add(in.readFloat());
						}
						in.popLimit(limit);
					}
					else {
						floats.add(in.readFloat());
					}
				}
				case TENSOR_INT64_DATA -> readLongs(in, packed, longs);
				case TENSOR_EXTERNAL_DATA -> throw new IllegalArgumentException(
						"tensor '" + name + "' keeps its data in an external file; only self-contained models are supported");
				default -> in.skipField(tag);
			}
		}
		if (raw == null) {
			raw = reencode(floats, longs);
		}
		return new OnnxTensor(name, dataType, dims.stream().mapToLong(Long::longValue).toArray(), raw);
	}

	private static void readLongs(CodedInputStream in, boolean packed, List<Long> into) throws IOException {
		if (packed) {
			int limit = in.pushLimit(in.readRawVarint32());
			while (in.getBytesUntilLimit() > 0) {
				into.add(in.readInt64());
			}
			in.popLimit(limit);
		}
		else {
			into.add(in.readInt64());
		}
	}

	private static byte[] reencode(List<Float> floats, List<Long> longs) {
		ByteBuffer buffer = ByteBuffer.allocate(floats.size() * Float.BYTES + longs.size() * Long.BYTES)
			.order(ByteOrder.LITTLE_ENDIAN);
		floats.forEach(buffer::putFloat);
		longs.forEach(buffer::putLong);
		return buffer.array();
	}

}
