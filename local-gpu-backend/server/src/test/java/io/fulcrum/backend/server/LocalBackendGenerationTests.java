package io.fulcrum.backend.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.generation.EngineLimits;
import io.fulcrum.backend.generation.GeneratorOptions;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Text generation over HTTP with the real stories260K model on the CPU. */
class LocalBackendGenerationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static LocalBackendServer server;

	private static String reference;

	@BeforeAll
	static void start() throws Exception {
		reference = Files.readString(SharedModels.stories260KGreedy(), StandardCharsets.UTF_8).strip();
		GeneratorOptions generation = GeneratorOptions.of(SharedModels.stories260K())
			.withDevice(Device.CPU)
			.withCpuThreads(2)
			.withCache(16, 16L << 20)
			.withLimits(new EngineLimits(16, 256, 32, true));
		server = LocalBackendServer.start(BackendOptions.defaults().withPort(0).withDevice(Device.CPU).withCpuThreads(1),
				BundledModel.ALL_MINILM_L6_V2, generation);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void aGreedyCompletionFromNothingReproducesTheReferenceStory() throws Exception {
		JsonNode body = ok(post("/v1/completions",
				"{\"model\":\"stories260K\",\"prompt\":\"\",\"max_tokens\":256,\"temperature\":0}"));
		assertThat(body.get("object").asString()).isEqualTo("text_completion");
		JsonNode choice = body.get("choices").get(0);
		assertThat(choice.get("text").asString().strip()).isEqualTo(reference);
		assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
		assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(1);
		assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(256);
		assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(257);
	}

	@Test
	void aStreamedChatCompletionCarriesTheSameTextAsAWholeOneAndEndsWithUsageAndDone() throws Exception {
		String request = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
				+ "\"max_tokens\":40,\"temperature\":0";
		JsonNode whole = ok(post("/v1/chat/completions", request + "}"));
		assertThat(whole.get("object").asString()).isEqualTo("chat.completion");
		assertThat(whole.get("choices").get(0).get("message").get("role").asString()).isEqualTo("assistant");
		String text = whole.get("choices").get(0).get("message").get("content").asString();
		assertThat(text).isNotBlank();

		HttpResponse<String> streamed = post("/v1/chat/completions",
				request + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(streamed.headers().firstValue("content-type")).hasValue("text/event-stream");
		List<String> events = events(streamed.body());
		assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
		StringBuilder joined = new StringBuilder();
		String finish = null;
		JsonNode usage = null;
		JsonNode first = JSON.readTree(events.get(0));
		assertThat(first.get("choices").get(0).get("delta").get("role").asString()).isEqualTo("assistant");
		for (String event : events.subList(0, events.size() - 1)) {
			JsonNode chunk = JSON.readTree(event);
			assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.get("id").asString()).isEqualTo(first.get("id").asString());
			if (chunk.get("choices").isEmpty()) {
				usage = chunk.get("usage");
				continue;
			}
			JsonNode choice = chunk.get("choices").get(0);
			JsonNode content = choice.get("delta").get("content");
			if (content != null) {
				joined.append(content.asString());
			}
			if (!choice.get("finish_reason").isNull()) {
				finish = choice.get("finish_reason").asString();
			}
		}
		assertThat(joined.toString()).isEqualTo(text);
		assertThat(finish).isEqualTo(whole.get("choices").get(0).get("finish_reason").asString());
		assertThat(usage).isNotNull();
		assertThat(usage.get("completion_tokens").asInt()).isEqualTo(whole.get("usage").get("completion_tokens").asInt());
		assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(whole.get("usage").get("prompt_tokens").asInt());
	}

	@Test
	void aStopSequenceEndsTheTextBeforeItWithFinishReasonStop() throws Exception {
		JsonNode body = ok(post("/v1/completions",
				"{\"model\":\"stories260K\",\"prompt\":\"\",\"max_tokens\":100,\"temperature\":0,\"stop\":[\"Lily\"]}"));
		JsonNode choice = body.get("choices").get(0);
		assertThat(choice.get("text").asString()).isEqualTo("Once upon a time, there was a little girl named ");
		assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
		assertThat(body.get("usage").get("completion_tokens").asInt()).isLessThan(100);
	}

	@Test
	void aSeedMakesSampledCompletionsReproducible() throws Exception {
		String request = "{\"model\":\"stories260K\",\"prompt\":\"The dog\",\"max_tokens\":30,\"temperature\":0.9,"
				+ "\"top_p\":0.9,\"top_k\":40,\"seed\":";
		String a = ok(post("/v1/completions", request + "7}")).get("choices").get(0).get("text").asString();
		String b = ok(post("/v1/completions", request + "7}")).get("choices").get(0).get("text").asString();
		assertThat(a).isEqualTo(b).isNotEmpty();
	}

	@Test
	void concurrentRequestsGetTheSameGreedyAnswersAsAlone() throws Exception {
		List<String> prompts = List.of("The cat", "Tom had a red", "One day, a bird", "Sue", "The sun was", "Mom said");
		List<String> alone = new ArrayList<>();
		for (String prompt : prompts) {
			alone.add(completion(prompt));
		}
		List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
		for (String prompt : prompts) {
			together.add(HTTP.sendAsync(request("/v1/completions", completionBody(prompt)),
					HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < prompts.size(); i++) {
			JsonNode body = ok(together.get(i).get());
			assertThat(body.get("choices").get(0).get("text").asString()).as(prompts.get(i)).isEqualTo(alone.get(i));
		}
	}

	@Test
	void badRequestsGetOpenAiErrorsWithTheRightStatus() throws Exception {
		assertError(post("/v1/completions", "{\"model\":\"stories260K\",\"prompt\":\"x\",\"n\":2}"), 400, "n");
		assertError(post("/v1/completions", "{\"model\":\"stories260K\",\"prompt\":\"x\",\"temperature\":3}"), 400,
				"temperature");
		assertError(post("/v1/chat/completions", "{\"model\":\"stories260K\",\"messages\":[]}"), 400, "messages");
		assertError(post("/v1/chat/completions",
				"{\"model\":\"stories260K\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"), 400,
				"messages[0].role");
		assertError(post("/v1/completions", "{\"model\":\"gpt-4o\",\"prompt\":\"x\"}"), 404, "model");
		HttpResponse<String> tooLong = post("/v1/completions",
				"{\"model\":\"stories260K\",\"prompt\":\"x\",\"max_tokens\":5000}");
		assertThat(tooLong.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(tooLong.body()).get("error");
		assertThat(error.get("code").asString()).isEqualTo("context_length_exceeded");
		assertThat(error.get("message").asString()).contains("maximum context length is 2048 tokens");
	}

	@Test
	void modelsListsBothModelsAndMetricsCarryVllmGenerationSeries() throws Exception {
		ok(post("/v1/completions", "{\"model\":\"stories260K\",\"prompt\":\"Hi\",\"max_tokens\":5}"));
		HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(models.body()).contains("\"all-minilm-l6-v2\"", "\"stories260K\"");
		String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		assertThat(metrics).contains("vllm:num_requests_running{model_name=\"stories260K\"}",
				"vllm:num_requests_waiting{model_name=\"stories260K\"}", "vllm:kv_cache_usage_perc{model_name=\"stories260K\"}",
				"vllm:time_to_first_token_seconds_bucket", "vllm:time_per_output_token_seconds_bucket",
				"vllm:e2e_request_latency_seconds_bucket", "vllm:generation_tokens_total{model_name=\"stories260K\"}",
				"vllm:num_preemptions_total", "vllm:prefix_cache_hits_total");
	}

	@Test
	void aFullQueueIsAnsweredWith503AndRetryAfterWhileAdmittedRequestsFinish() throws Exception {
		GeneratorOptions tight = GeneratorOptions.of(SharedModels.stories260K())
			.withDevice(Device.CPU)
			.withCpuThreads(1)
			.withCache(16, 4L << 20)
			.withLimits(new EngineLimits(1, 64, 1, true));
		try (LocalBackendServer small = LocalBackendServer.start(
				BackendOptions.defaults().withPort(0).withDevice(Device.CPU).withCpuThreads(1), BundledModel.ALL_MINILM_L6_V2,
				tight)) {
			String body = "{\"model\":\"stories260K\",\"prompt\":\"\",\"max_tokens\":1500,\"ignore_eos\":true}";
			List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/v1/completions"))
					.header("content-type", "application/json")
					.timeout(Duration.ofSeconds(120))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString()));
			}
			int ok = 0;
			int refused = 0;
			for (CompletableFuture<HttpResponse<String>> answer : answers) {
				HttpResponse<String> response = answer.get();
				if (response.statusCode() == 200) {
					ok++;
					continue;
				}
				assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
				assertThat(response.headers().firstValue("retry-after")).isPresent();
				assertThat(JSON.readTree(response.body()).get("error").get("code").asString()).isEqualTo("queue_full");
				refused++;
			}
			assertThat(ok).isGreaterThanOrEqualTo(1);
			assertThat(refused).isGreaterThanOrEqualTo(1);
		}
	}

	private static String completion(String prompt) throws Exception {
		return ok(post("/v1/completions", completionBody(prompt))).get("choices").get(0).get("text").asString();
	}

	private static String completionBody(String prompt) {
		return "{\"model\":\"stories260K\",\"prompt\":\"" + prompt + "\",\"max_tokens\":60,\"temperature\":0}";
	}

	private static void assertError(HttpResponse<String> response, int status, String param) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode error = JSON.readTree(response.body()).get("error");
		assertThat(error.get("message").asString()).isNotBlank();
		assertThat(error.get("type").asString()).isNotBlank();
		assertThat(error.get("code").asString()).isNotBlank();
		assertThat(error.get("param").asString()).isEqualTo(param);
	}

	private static List<String> events(String body) {
		List<String> events = new ArrayList<>();
		for (String block : body.split("\n\n")) {
			if (block.startsWith("data: ")) {
				events.add(block.substring(6));
			}
		}
		return events;
	}

	private static HttpRequest request(String path, String body) {
		return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
			.header("content-type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static HttpResponse<String> post(String path, String body) throws Exception {
		return HTTP.send(request(path, body), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

}
