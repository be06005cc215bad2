package io.fulcrum.backend.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The parts of an ONNX model a loader needs: its nodes in file order, its initializers by name, and the values
 * of its {@code Constant} nodes by output name. Indexes which node produces and which nodes consume each value,
 * so a loader can follow the graph from a named tensor to the operators around it.
 */
public final class OnnxGraph {

	private final List<OnnxNode> nodes;

	private final Map<String, OnnxTensor> initializers;

	private final Map<String, OnnxNode> producers = new HashMap<>();

	private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

	public OnnxGraph(List<OnnxNode> nodes, Map<String, OnnxTensor> initializers) {
		this.nodes = List.copyOf(nodes);
		this.initializers = Map.copyOf(initializers);
		for (OnnxNode node : this.nodes) {
			node.outputs().forEach(out -> this.producers.put(out, node));
			for (String in : node.inputs()) {
				this.consumers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(node);
			}
		}
	}

	public List<OnnxNode> nodes() {
		return this.nodes;
	}

	public Map<String, OnnxTensor> initializers() {
		return this.initializers;
	}

	/** The initializer of that name, or a clear error naming what the loader looked for. */
	public OnnxTensor initializer(String name) {
		OnnxTensor tensor = this.initializers.get(name);
		if (tensor == null) {
			throw new IllegalArgumentException("the model has no initializer named '" + name + "'");
		}
		return tensor;
	}

	/** The node that produces a value, if any (graph inputs and initializers have none). */
	public @Nullable OnnxNode producer(String value) {
		return this.producers.get(value);
	}

	/** The nodes that read a value. */
	public List<OnnxNode> consumers(String value) {
		return this.consumers.getOrDefault(value, List.of());
	}

	/** The constant behind a value: an initializer, or the output of a {@code Constant} node. */
	public Optional<OnnxTensor> constant(String value) {
		OnnxTensor init = this.initializers.get(value);
		if (init != null) {
			return Optional.of(init);
		}
		OnnxNode node = this.producers.get(value);
		if (node != null && node.opType().equals("Constant")) {
			return Optional.ofNullable(node.tensorAttributes().get("value"));
		}
		return Optional.empty();
	}

}
