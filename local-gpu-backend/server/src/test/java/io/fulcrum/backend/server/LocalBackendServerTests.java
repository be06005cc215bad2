package io.fulcrum.backend.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class LocalBackendServerTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static LocalBackendServer server;

	@BeforeAll
	static void start() {
		server = LocalBackendServer.start(BackendOptions.defaults().withPort(0).withDevice(Device.AUTO).withCpuThreads(2));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aSingleInputGetsAUnitLengthEmbeddingAndItsTokenUsage() throws Exception {
		JsonNode body = ok(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"The quick brown fox\"}"));
		assertThat(body.get("object").asString()).isEqualTo("list");
		assertThat(body.get("model").asString()).isEqualTo("all-minilm-l6-v2");
		JsonNode first = body.get("data").get(0);
		assertThat(first.get("object").asString()).isEqualTo("embedding");
		assertThat(first.get("index").asInt()).isZero();
		float[] e = floats(first.get("embedding"));
		assertThat(e).hasSize(384);
		assertThat(norm(e)).isCloseTo(1.0, offset(1e-5));
		// "the quick brown fox": four word pieces; [CLS] and [SEP] are not billed
		assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(4);
		assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(4);
	}

	@Test
	void aBatchAnswersInOrderAndBase64CarriesTheSameLittleEndianFloats() throws Exception {
		String inputs = "[\"first text\",\"\",\"a third, longer piece of text about embeddings\"]";
		JsonNode floats = ok(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":" + inputs + "}"));
		JsonNode base64 = ok(post(server,
				"{\"model\":\"all-minilm-l6-v2\",\"encoding_format\":\"base64\",\"input\":" + inputs + "}"));
		assertThat(floats.get("data")).hasSize(3);
		for (int i = 0; i < 3; i++) {
			assertThat(floats.get("data").get(i).get("index").asInt()).isEqualTo(i);
			byte[] raw = Base64.getDecoder().decode(base64.get("data").get(i).get("embedding").asString());
			float[] decoded = new float[raw.length / 4];
			ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
			assertThat(decoded).containsExactly(floats(floats.get("data").get(i).get("embedding")));
		}
		float[] single = floats(ok(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"first text\"}")).get("data")
			.get(0)
			.get("embedding"));
		assertThat(floats(floats.get("data").get(0).get("embedding"))).containsExactly(single, offset(1e-6f));
	}

	@Test
	void concurrentRequestsEachGetTheirOwnEmbedding() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			pending.add(HTTP.sendAsync(request(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"request number " + i
					+ "\"}"), HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < 24; i++) {
			float[] together = floats(ok(pending.get(i).join()).get("data").get(0).get("embedding"));
			float[] alone = floats(ok(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"request number " + i
					+ "\"}")).get("data").get(0).get("embedding"));
			assertThat(together).containsExactly(alone, offset(1e-6f));
		}
	}

	@Test
	void badRequestsGetOpenAiErrorsWithTheRightStatus() throws Exception {
		assertError(post(server, "{not json"), 400, "invalid_json");
		assertError(post(server, "{\"input\":\"x\"}"), 400, "missing_model");
		assertError(post(server, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}"), 404, "model_not_found");
		assertError(post(server, "{\"model\":\"all-minilm-l6-v2\"}"), 400, "missing_input");
		assertError(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":[]}"), 400, "invalid_value");
		assertError(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":[[1,2,3]]}"), 400, "invalid_type");
		assertError(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"encoding_format\":\"int8\"}"), 400,
				"invalid_value");
		assertError(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"dimensions\":128}"), 400,
				"invalid_value");
		assertThat(ok(post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"dimensions\":384}")).get("data"))
			.hasSize(1);
		assertError(HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString()), 404, "model_not_found");
		assertError(HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/embeddings")).GET().build(),
				HttpResponse.BodyHandlers.ofString()), 405, "method_not_allowed");
	}

	@Test
	void aBodyOverTheLimitIsRefusedWith413() throws Exception {
		String huge = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"" + "a".repeat(17 << 20) + "\"}";
		assertError(post(server, huge), 413, "request_too_large");
	}

	@Test
	void longInputsAreTruncatedToTheWindowAndSaySo() throws Exception {
		String text = "word ".repeat(1000);
		HttpResponse<String> response = post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"" + text + "\",\"short\"]}");
		JsonNode body = ok(response);
		assertThat(response.headers().firstValue("x-fulcrum-truncated-inputs")).hasValue("1");
		assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(254 + 1);
	}

	@Test
	void withTheRejectPolicyALongInputIsA400NamingItsLength() throws Exception {
		try (LocalBackendServer strict = LocalBackendServer.start(BackendOptions.defaults()
			.withPort(0)
			.withCpuThreads(1)
			.withWindow(16, WindowPolicy.REJECT))) {
			HttpResponse<String> response = post(strict,
					"{\"model\":\"all-minilm-l6-v2\",\"input\":[\"fits\",\"" + "word ".repeat(20) + "\"]}");
			JsonNode error = assertError(response, 400, "context_length_exceeded");
			assertThat(error.get("message").asString()).contains("input 1 has 20 tokens").contains("at most 14");
		}
	}

	@Test
	void aFullQueueAnswers503WithRetryAfter() throws Exception {
		try (LocalBackendServer tiny = LocalBackendServer.start(BackendOptions.defaults()
			.withPort(0)
			.withCpuThreads(1)
			.withBatch(new BatchLimits(1, 8192, Duration.ZERO, 1)))) {
			String longText = "many words in a long input ".repeat(40);
			List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
			// 60 requests at once on a queue of one input: most find it full, whatever the encoder's speed
			for (int i = 0; i < 60; i++) {
				pending.add(HTTP.sendAsync(request(tiny, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"" + i + longText
						+ "\"}"), HttpResponse.BodyHandlers.ofString()));
			}
			List<HttpResponse<String>> refused = pending.stream()
				.map(CompletableFuture::join)
				.filter(r -> r.statusCode() == 503)
				.toList();
			assertThat(refused).isNotEmpty();
			assertError(refused.get(0), 503, "queue_full");
			assertThat(refused.get(0).headers().firstValue("retry-after")).isPresent();
			assertError(post(tiny, "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"a\",\"b\"]}"), 400, "too_many_inputs");
		}
	}

	@Test
	void modelsHealthAndMetricsDescribeTheServer() throws Exception {
		JsonNode models = ok(get(server, "/v1/models"));
		assertThat(models.get("data").get(0).get("id").asString()).isEqualTo("all-minilm-l6-v2");
		assertThat(models.get("data").get(0).get("owned_by").asString()).isEqualTo("fulcrum-local");
		JsonNode health = ok(get(server, "/health"));
		assertThat(health.get("status").asString()).isEqualTo("ok");
		assertThat(health.get("device").asString()).startsWith("cpu");
		assertThat(health.get("dimensions").asInt()).isEqualTo(384);
		post(server, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"for the metrics\"}");
		String metrics = get(server, "/metrics").body();
		assertThat(metrics).contains("vllm:num_requests_running", "vllm:num_requests_waiting",
				"fulcrum_backend_inputs_waiting", "fulcrum_backend_batch_size_count",
				"fulcrum_backend_queue_time_seconds_bucket", "fulcrum_backend_request_time_seconds_bucket",
				"fulcrum_backend_device_memory_bytes");
	}

	@Test
	void aConfiguredKeyIsRequired() throws Exception {
		try (LocalBackendServer keyed = LocalBackendServer.start(BackendOptions.defaults()
			.withPort(0)
			.withCpuThreads(1)
			.withApiKey("secret-key"))) {
			assertError(post(keyed, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\"}"), 401, "invalid_api_key");
			HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(URI.create(keyed.baseUrl() + "/v1/embeddings"))
				.header("Authorization", "Bearer secret-key")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(allowed.statusCode()).isEqualTo(200);
			assertThat(get(keyed, "/health").statusCode()).isEqualTo(200);
		}
	}

	private static HttpRequest request(LocalBackendServer target, String body) {
		return HttpRequest.newBuilder(URI.create(target.baseUrl() + "/v1/embeddings"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static HttpResponse<String> post(LocalBackendServer target, String body) throws Exception {
		return HTTP.send(request(target, body), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(LocalBackendServer target, String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static JsonNode assertError(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode error = JSON.readTree(response.body()).get("error");
		assertThat(error.get("code").asString()).isEqualTo(code);
		assertThat(error.get("type").asString()).isNotBlank();
		assertThat(error.get("message").asString()).isNotBlank();
		return error;
	}

	private static float[] floats(JsonNode array) {
		float[] out = new float[array.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = array.get(i).floatValue();
		}
		return out;
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) {
			s += x * x;
		}
		return Math.sqrt(s);
	}

}
