package io.fulcrum.backend.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertLayer;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.bert.Tensor;

/**
 * Builds {@link BertWeights} from a BERT-family encoder exported to ONNX by Hugging Face's exporter (as
 * sentence-transformers models are: all-MiniLM-L6-v2, bge-small, e5-small ...).
 *
 * <p>Embedding tables, biases and LayerNorm parameters are found by their PyTorch names. The dense layers'
 * weight matrices are unnamed {@code MatMul} initializers, so each is found by following the graph from its named
 * bias: the {@code Add} that reads the bias also reads a {@code MatMul}'s product, whose second input is the
 * weight. The head count, LayerNorm epsilon and activation are read off the graph too (the constant that scales
 * the attention scores is √headSize; the constant added to the variance is ε), so a model with another shape
 * loads without configuration. Anything the loader cannot find fails with the name it looked for.
 */
public final class OnnxBertLoader {

	private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

	private final OnnxGraph graph;

	private OnnxBertLoader(OnnxGraph graph) {
		this.graph = graph;
	}

	/** Reads a whole ONNX file from a stream and loads its weights. */
	public static BertWeights load(InputStream onnx) throws IOException {
		return load(onnx.readAllBytes());
	}

	/** Loads the weights of an ONNX file held in memory. */
	public static BertWeights load(byte[] onnx) {
		return new OnnxBertLoader(OnnxReader.read(onnx)).weights();
	}

	private BertWeights weights() {
		requireGeluErf();
		Tensor words = tensor("embeddings.word_embeddings.weight");
		Tensor positions = tensor("embeddings.position_embeddings.weight");
		int hidden = words.shape()[1];
		int layerCount = layerCount();
		List<BertLayer> layers = new ArrayList<>();
		for (int i = 0; i < layerCount; i++) {
			layers.add(layer("encoder.layer." + i + "."));
		}
		int intermediate = layers.isEmpty() ? 0 : layers.get(0).intermediateBias().shape()[0];
		BertConfig config = new BertConfig(words.shape()[0], hidden, layerCount, hidden / headSize(), intermediate,
				positions.shape()[0], layerNormEpsilon("embeddings.LayerNorm.weight"));
		return new BertWeights(config, words, positions, tensor("embeddings.token_type_embeddings.weight"),
				tensor("embeddings.LayerNorm.weight"), tensor("embeddings.LayerNorm.bias"), layers);
	}

	private BertLayer layer(String p) {
		return new BertLayer(denseWeight(p + "attention.self.query.bias"), tensor(p + "attention.self.query.bias"),
				denseWeight(p + "attention.self.key.bias"), tensor(p + "attention.self.key.bias"),
				denseWeight(p + "attention.self.value.bias"), tensor(p + "attention.self.value.bias"),
				denseWeight(p + "attention.output.dense.bias"), tensor(p + "attention.output.dense.bias"),
				tensor(p + "attention.output.LayerNorm.weight"), tensor(p + "attention.output.LayerNorm.bias"),
				denseWeight(p + "intermediate.dense.bias"), tensor(p + "intermediate.dense.bias"),
				denseWeight(p + "output.dense.bias"), tensor(p + "output.dense.bias"),
				tensor(p + "output.LayerNorm.weight"), tensor(p + "output.LayerNorm.bias"));
	}

	private Tensor tensor(String name) {
		OnnxTensor t = this.graph.initializer(name);
		return new Tensor(name, t.shape(), t.floats());
	}

	/** The weight of the MatMul whose product is added to the named bias. */
	private Tensor denseWeight(String biasName) {
		for (OnnxNode add : this.graph.consumers(biasName)) {
			if (!add.opType().equals("Add")) {
				continue;
			}
			String product = add.input(0).equals(biasName) ? add.input(1) : add.input(0);
			OnnxNode matMul = this.graph.producer(product);
			if (matMul != null && matMul.opType().equals("MatMul")
					&& this.graph.initializers().containsKey(matMul.input(1))) {
				OnnxTensor w = this.graph.initializer(matMul.input(1));
				return new Tensor(biasName.replace(".bias", ".weight") + " (" + w.name() + ")", w.shape(), w.floats());
			}
		}
		throw new IllegalArgumentException(
				"no MatMul weight found for '" + biasName + "': expected Add(" + biasName + ", MatMul(x, W))");
	}

	private int layerCount() {
		TreeSet<Integer> layers = new TreeSet<>();
		for (String name : this.graph.initializers().keySet()) {
			Matcher m = LAYER.matcher(name);
			if (m.find()) {
				layers.add(Integer.parseInt(m.group(1)));
			}
		}
		if (layers.isEmpty() || layers.last() != layers.size() - 1) {
			throw new IllegalArgumentException("expected layers encoder.layer.0 .. N, found " + layers);
		}
		return layers.size();
	}

	/** √headSize is the constant the attention scores (a MatMul of two activations) are divided by. */
	private int headSize() {
		for (OnnxNode div : this.graph.nodes()) {
			if (!div.opType().equals("Div")) {
				continue;
			}
			OnnxNode scores = this.graph.producer(div.input(0));
			Optional<OnnxTensor> scale = this.graph.constant(div.input(1));
			if (scores != null && scores.opType().equals("MatMul") && scale.isPresent()
					&& scale.get().elementCount() == 1 && !this.graph.initializers().containsKey(scores.input(1))) {
				float s = scale.get().scalar();
				return Math.round(s * s);
			}
		}
		throw new IllegalArgumentException(
				"cannot find the attention scale (Div(MatMul(q, kᵀ), √headSize)) to tell the number of heads");
	}

	/** ε is the constant added to the variance before its square root: Mul(Div(x - μ, Sqrt(Add(var, ε))), γ). */
	private float layerNormEpsilon(String gammaName) {
		for (OnnxNode mul : this.graph.consumers(gammaName)) {
			OnnxNode div = this.graph.producer(mul.input(0).equals(gammaName) ? mul.input(1) : mul.input(0));
			OnnxNode sqrt = div == null ? null : this.graph.producer(div.input(1));
			OnnxNode add = sqrt == null || !sqrt.opType().equals("Sqrt") ? null : this.graph.producer(sqrt.input(0));
			if (add != null && add.opType().equals("Add")) {
				Optional<OnnxTensor> eps = this.graph.constant(add.input(1)).or(() -> this.graph.constant(add.input(0)));
				if (eps.isPresent() && eps.get().elementCount() == 1) {
					return eps.get().scalar();
				}
			}
		}
		throw new IllegalArgumentException("cannot find the LayerNorm epsilon of '" + gammaName
				+ "': expected the decomposed LayerNorm Hugging Face's exporter writes");
	}

	private void requireGeluErf() {
		boolean erf = this.graph.nodes().stream().anyMatch(n -> n.opType().equals("Erf"));
		if (!erf) {
			throw new IllegalArgumentException(
					"the model's feed-forward activation is not the exact (erf) GELU; only that activation is supported");
		}
	}

}
