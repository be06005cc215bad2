package io.fulcrum.backend.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/** Writes OpenAI's embeddings response: a list of embeddings (floats or base64 of little-endian fp32) and usage. */
final class EmbeddingsResponse {

	private EmbeddingsResponse() {
	}

	static byte[] render(JsonMapper json, String model, List<float[]> embeddings, boolean base64, int promptTokens) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(embeddings.size() * (base64 ? 2100 : 4200) + 256);
		try (JsonGenerator g = json.createGenerator(out)) {
			g.writeStartObject();
			g.writeStringProperty("object", "list");
			g.writeArrayPropertyStart("data");
			for (int i = 0; i < embeddings.size(); i++) {
				g.writeStartObject();
				g.writeStringProperty("object", "embedding");
				g.writeNumberProperty("index", i);
				g.writeName("embedding");
				float[] e = embeddings.get(i);
				if (base64) {
					g.writeString(base64(e));
				}
				else {
					g.writeStartArray(e, e.length);
					for (float v : e) {
						g.writeNumber(v);
					}
					g.writeEndArray();
				}
				g.writeEndObject();
			}
			g.writeEndArray();
			g.writeStringProperty("model", model);
			g.writeObjectPropertyStart("usage");
			g.writeNumberProperty("prompt_tokens", promptTokens);
			g.writeNumberProperty("total_tokens", promptTokens);
			g.writeEndObject();
			g.writeEndObject();
		}
		return out.toByteArray();
	}

	/** OpenAI's base64 format: the fp32 values, little-endian, base64-encoded. */
	static String base64(float[] embedding) {
		ByteBuffer bytes = ByteBuffer.allocate(embedding.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(embedding);
		return Base64.getEncoder().encodeToString(bytes.array());
	}

}
