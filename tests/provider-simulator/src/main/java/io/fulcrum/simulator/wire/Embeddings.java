package io.fulcrum.simulator.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.SplittableRandom;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's embeddings answer: one deterministic unit vector per input, derived from the input's hash, as JSON
 * floats or as OpenAI's base64 of little-endian float32.
 */
public final class Embeddings {

	private Embeddings() {
	}

	/** The unit vector the simulator returns for an input with this seed. */
	public static float[] vector(long seed, int dimensions) {
		SplittableRandom random = new SplittableRandom(seed);
		float[] vector = new float[dimensions];
		double norm = 0;
		for (int i = 0; i < dimensions; i++) {
			vector[i] = (float) (random.nextDouble() * 2 - 1);
			norm += (double) vector[i] * vector[i];
		}
		if (norm == 0) {
			vector[0] = 1;
			return vector;
		}
		double scale = 1 / Math.sqrt(norm);
		for (int i = 0; i < dimensions; i++) {
			vector[i] = (float) (vector[i] * scale);
		}
		return vector;
	}

	/** Renders the answer to a request. */
	public static byte[] render(EmbeddingsRequest request) {
		ObjectNode root = Json.object();
		root.put("object", "list");
		ArrayNode data = root.putArray("data");
		for (int i = 0; i < request.seeds().size(); i++) {
			float[] vector = vector(request.seeds().get(i), request.dimensions());
			ObjectNode item = data.addObject();
			item.put("object", "embedding");
			item.put("index", i);
			if (request.base64()) {
				item.put("embedding", base64(vector));
			}
			else {
				ArrayNode values = item.putArray("embedding");
				for (float value : vector) {
					values.add(value);
				}
			}
		}
		root.put("model", request.model());
		ObjectNode usage = root.putObject("usage");
		usage.put("prompt_tokens", request.promptTokens());
		usage.put("total_tokens", request.promptTokens());
		return Json.bytes(root);
	}

	private static String base64(float[] vector) {
		ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (float value : vector) {
			bytes.putFloat(value);
		}
		return Base64.getEncoder().encodeToString(bytes.array());
	}

}
