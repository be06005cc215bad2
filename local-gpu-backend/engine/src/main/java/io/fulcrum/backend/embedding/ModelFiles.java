package io.fulcrum.backend.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.onnx.OnnxBertLoader;

/**
 * An encoder on disk: an ONNX file as Hugging Face's exporter writes it (all-MiniLM, bge-small, e5-small ...) and
 * its {@code tokenizer.json}.
 *
 * @param id the model's name in the API
 * @param onnx the ONNX file (weights stored inside it)
 * @param tokenizer the tokenizer file
 */
public record ModelFiles(String id, Path onnx, Path tokenizer) implements ModelSource {

	@Override
	public BertWeights weights() throws IOException {
		return OnnxBertLoader.load(Files.readAllBytes(this.onnx));
	}

	@Override
	public InputStream tokenizerJson() throws IOException {
		return Files.newInputStream(this.tokenizer);
	}

}
