package io.fulcrum.simulator;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EmbeddingsTest {

	private static final String EMBEDDINGS = "/v1/embeddings";

	private static ProviderSimulator simulator;

	private static SimulatorClient client;

	@BeforeAll
	static void start() {
		simulator = ProviderSimulator.start(SimulatorOptions.defaults());
		client = new SimulatorClient(simulator);
	}

	@AfterAll
	static void stop() {
		simulator.close();
	}

	@Test
	void embedsEachInputAsDeterministicUnitVector() {
		JsonNode body = SimulatorClient.json(client.post(EMBEDDINGS,
				"{\"model\":\"embed\",\"input\":[\"alpha text\",\"beta\",\"alpha text\"]}"));

		assertThat(body.get("object").asString()).isEqualTo("list");
		assertThat(body.get("model").asString()).isEqualTo("embed");
		JsonNode data = body.get("data");
		assertThat(data).hasSize(3);
		for (int i = 0; i < 3; i++) {
			assertThat(data.get(i).get("object").asString()).isEqualTo("embedding");
			assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
			assertThat(data.get(i).get("embedding")).hasSize(8);
			assertThat(norm(floats(data.get(i).get("embedding")))).isCloseTo(1.0, within(1e-5));
		}
		assertThat(data.get(0).get("embedding")).isEqualTo(data.get(2).get("embedding"));
		assertThat(data.get(0).get("embedding")).isNotEqualTo(data.get(1).get("embedding"));
		assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(5);
		assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(5);
	}

	@Test
	void encodesBase64AsLittleEndianFloat32() {
		JsonNode floats = SimulatorClient.json(client.post(EMBEDDINGS,
				"{\"model\":\"embed\",\"input\":\"same\",\"dimensions\":16}"));
		JsonNode base64 = SimulatorClient.json(client.post(EMBEDDINGS,
				"{\"model\":\"embed\",\"input\":\"same\",\"dimensions\":16,\"encoding_format\":\"base64\"}"));

		float[] expected = floats(floats.get("data").get(0).get("embedding"));
		ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(base64.get("data").get(0).get("embedding")
			.asString())).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(expected).hasSize(16);
		assertThat(decoded.remaining()).isEqualTo(16 * Float.BYTES);
		for (float value : expected) {
			assertThat(decoded.getFloat()).isCloseTo(value, within(1e-6f));
		}
	}

	@Test
	void acceptsTokenArrays() {
		JsonNode single = SimulatorClient.json(client.post(EMBEDDINGS, "{\"model\":\"embed\",\"input\":[1,2,3]}"));
		JsonNode several = SimulatorClient.json(client.post(EMBEDDINGS,
				"{\"model\":\"embed\",\"input\":[[1,2,3],[4,5]]}"));

		assertThat(single.get("data")).hasSize(1);
		assertThat(single.get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
		assertThat(several.get("data")).hasSize(2);
		assertThat(several.get("data").get(0).get("embedding")).isEqualTo(single.get("data").get(0).get("embedding"));
		assertThat(several.get("usage").get("prompt_tokens").asInt()).isEqualTo(5);
	}

	@Test
	void rejectsMissingOrMalformedInput() {
		HttpResponse<String> missing = client.post(EMBEDDINGS, "{\"model\":\"embed\"}");
		HttpResponse<String> mixed = client.post(EMBEDDINGS, "{\"model\":\"embed\",\"input\":[\"a\",{}]}");

		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(missing).get("error").get("param").asString()).isEqualTo("input");
		assertThat(mixed.statusCode()).isEqualTo(400);
	}

	private static float[] floats(JsonNode array) {
		float[] values = new float[array.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) array.get(i).asDouble();
		}
		return values;
	}

	private static double norm(float[] vector) {
		double sum = 0;
		for (float value : vector) {
			sum += (double) value * value;
		}
		return Math.sqrt(sum);
	}

}
