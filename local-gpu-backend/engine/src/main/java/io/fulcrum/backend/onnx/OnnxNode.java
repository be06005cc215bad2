package io.fulcrum.backend.onnx;

import java.util.List;
import java.util.Map;

/**
 * One operator of an ONNX graph.
 *
 * @param opType the operator, such as {@code MatMul}
 * @param name the node's name (may be empty)
 * @param inputs names of the values it reads, in order
 * @param outputs names of the values it produces
 * @param tensorAttributes its tensor-valued attributes by name (a {@code Constant}'s {@code value})
 */
public record OnnxNode(String opType, String name, List<String> inputs, List<String> outputs,
		Map<String, OnnxTensor> tensorAttributes) {

	public OnnxNode {
		inputs = List.copyOf(inputs);
		outputs = List.copyOf(outputs);
		tensorAttributes = Map.copyOf(tensorAttributes);
	}

	/** The named input, or the empty string where the position is absent. */
	public String input(int index) {
		return index < this.inputs.size() ? this.inputs.get(index) : "";
	}

}
