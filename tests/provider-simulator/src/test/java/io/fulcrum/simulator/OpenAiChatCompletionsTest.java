package io.fulcrum.simulator;

import java.net.http.HttpResponse;
import java.util.List;

import io.fulcrum.protocol.sse.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiChatCompletionsTest {

	private static final String CHAT = "/v1/chat/completions";

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

	@BeforeEach
	void reset() {
		simulator.control().reset();
	}

	@Test
	void answersWithChatCompletionAndUsage() {
		HttpResponse<String> response = client.post(CHAT,
				"{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"0123456789abcdef\"}]}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
		JsonNode body = SimulatorClient.json(response);
		assertThat(body.get("id").asString()).startsWith("chatcmpl-");
		assertThat(body.get("object").asString()).isEqualTo("chat.completion");
		assertThat(body.get("created").asLong()).isPositive();
		assertThat(body.get("model").asString()).isEqualTo("gpt-sim");
		JsonNode choice = body.get("choices").get(0);
		assertThat(choice.get("message").get("role").asString()).isEqualTo("assistant");
		assertThat(choice.get("message").get("content").asString()).isEqualTo(SimulatedText.text(16))
			.startsWith(" lorem ipsum dolor");
		assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = body.get("usage");
		assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(4);
		assertThat(usage.get("completion_tokens").asInt()).isEqualTo(16);
		assertThat(usage.get("total_tokens").asInt()).isEqualTo(20);
		assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();
	}

	@Test
	void capsOutputAtMaxTokensWithFinishReasonLength() {
		JsonNode capped = SimulatorClient.json(client.post(CHAT,
				"{\"model\":\"m\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
		JsonNode completionCapped = SimulatorClient.json(client.post(CHAT,
				"{\"model\":\"m\",\"max_completion_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
		JsonNode roomy = SimulatorClient.json(client.post(CHAT,
				"{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

		assertThat(capped.get("choices").get(0).get("message").get("content").asString())
			.isEqualTo(" lorem ipsum dolor");
		assertThat(capped.get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
		assertThat(capped.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
		assertThat(completionCapped.get("usage").get("completion_tokens").asInt()).isEqualTo(2);
		assertThat(roomy.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
		assertThat(roomy.get("usage").get("completion_tokens").asInt()).isEqualTo(16);
	}

	@Test
	void streamsRoleChunkTokenChunksUsageChunkAndDone() {
		SimulatorClient.StreamResult stream = client.stream(CHAT, "{\"model\":\"m\",\"stream\":true,"
				+ "\"stream_options\":{\"include_usage\":true},\"max_tokens\":3,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

		assertThat(stream.failure()).isNull();
		assertThat(stream.response().headers().firstValue("content-type")).hasValue("text/event-stream");
		List<JsonNode> chunks = stream.data();
		assertThat(chunks).hasSize(6);
		assertThat(chunks).allSatisfy((chunk) -> {
			assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.get("model").asString()).isEqualTo("m");
			assertThat(chunk.get("id").asString()).isEqualTo(chunks.get(0).get("id").asString());
		});
		JsonNode first = chunks.get(0).get("choices").get(0).get("delta");
		assertThat(first.get("role").asString()).isEqualTo("assistant");
		assertThat(first.get("content").asString()).isEmpty();
		assertThat(chunks.subList(1, 4)).extracting((chunk) -> chunk.get("choices").get(0).get("delta").get("content")
			.asString()).containsExactly(" lorem", " ipsum", " dolor");
		assertThat(chunks.get(4).get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
		JsonNode usageChunk = chunks.get(5);
		assertThat(usageChunk.get("choices")).isEmpty();
		assertThat(usageChunk.get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
		assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
		assertThat(usageChunk.get("usage").get("total_tokens").asInt()).isEqualTo(5);
		assertThat(stream.events().get(stream.events().size() - 1).isDone()).isTrue();
		// counted when the server's write completes, which may be just after the client has read everything
		SimulatorClient.awaitUntil(() -> simulator.control().completedStreams() == 1);
	}

	@Test
	void streamsWithoutUsageChunkUnlessAsked() {
		SimulatorClient.StreamResult stream = client.stream(CHAT,
				"{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		List<JsonNode> chunks = stream.data();
		assertThat(chunks).hasSize(1 + 16 + 1);
		assertThat(chunks).noneMatch((chunk) -> chunk.has("usage"));
		assertThat(chunks.get(17).get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
		assertThat(stream.events()).last().extracting(SseEvent::isDone).isEqualTo(true);
	}

	@Test
	void omitsUsageWhenTheProfileSaysSo() {
		simulator.control().setProfile("quiet", ModelProfile.DEFAULT.withOmitUsage(true));

		JsonNode body = SimulatorClient.json(
				client.post(CHAT, "{\"model\":\"quiet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
		SimulatorClient.StreamResult stream = client.stream(CHAT, "{\"model\":\"quiet\",\"stream\":true,"
				+ "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(body.has("usage")).isFalse();
		assertThat(stream.data()).noneMatch((chunk) -> chunk.get("usage") != null && !chunk.get("usage").isNull());
		assertThat(stream.events()).last().extracting(SseEvent::isDone).isEqualTo(true);
	}

	@Test
	void rejectsMalformedJsonAndMissingFieldsWithInvalidRequestError() {
		HttpResponse<String> malformed = client.post(CHAT, "{\"model\":");
		HttpResponse<String> noMessages = client.post(CHAT, "{\"model\":\"m\"}");
		HttpResponse<String> noModel = client.post(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(malformed.statusCode()).isEqualTo(400);
		JsonNode error = SimulatorClient.json(malformed).get("error");
		assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.has("message")).isTrue();
		assertThat(error.has("param")).isTrue();
		assertThat(error.has("code")).isTrue();
		assertThat(noMessages.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(noMessages).get("error").get("param").asString()).isEqualTo("messages");
		assertThat(noModel.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(noModel).get("error").get("param").asString()).isEqualTo("model");
		assertThat(simulator.control().totalRequests()).isZero();
	}

	@Test
	void recordsRequestCountsBodiesAndHeadersPerModel() {
		client.post(CHAT, "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}",
				"authorization", "Bearer sk-upstream", "x-trace", "t1");
		client.post(CHAT, "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"second\"}]}");
		client.post(CHAT, "{\"model\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"other\"}]}",
				"x-trace", "t2");

		SimulatorControl control = simulator.control();
		assertThat(control.requests("a")).isEqualTo(2);
		assertThat(control.requests("b")).isEqualTo(1);
		assertThat(control.requests("c")).isZero();
		assertThat(control.totalRequests()).isEqualTo(3);
		assertThat(control.lastRequest("a").get("messages").get(0).get("content").asString()).isEqualTo("second");
		assertThat(control.lastHeaders("b")).containsEntry("x-trace", "t2").doesNotContainKey("authorization");
		assertThat(control.lastRequest("c")).isNull();
		assertThat(control.lastHeaders("c")).isEmpty();
	}

	@Test
	void forwardsRecordedHeadersWithLowerCaseNames() {
		client.post(CHAT, "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Authorization",
				"Bearer sk-upstream", "X-Trace", "t1");

		assertThat(simulator.control().lastHeaders("a")).containsEntry("authorization", "Bearer sk-upstream")
			.containsEntry("x-trace", "t1");
	}

	@Test
	void answersUnknownPathsWithJson404() {
		HttpResponse<String> response = client.get("/v1/nothing-here");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SimulatorClient.json(response).get("error").get("message").asString()).contains("/v1/nothing-here");
	}

}
