package io.fulcrum.backend.embedding;

import java.io.IOException;
import java.io.InputStream;

import io.fulcrum.backend.bert.BertWeights;

/**
 * Where a BERT-family embedding model comes from: its name in the API, its weights and its Hugging Face
 * {@code tokenizer.json}. {@link BundledModel} reads them from a jar on the class path, {@link ModelFiles} from
 * files on disk (any encoder exported to ONNX by Hugging Face's exporter).
 */
public interface ModelSource {

	/** The model's name in the API ({@code GET /v1/models}, the request's {@code model}). */
	String id();

	/** Reads and loads the weights. */
	BertWeights weights() throws IOException;

	/** Opens the tokenizer file; the caller closes it. */
	InputStream tokenizerJson() throws IOException;

}
