package io.fulcrum.simulator;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicMessagesTest {

	private static final String MESSAGES = "/v1/messages";

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
	void answersWithMessageAndUsage() {
		HttpResponse<String> response = client.post(MESSAGES, "{\"model\":\"claude-sim\",\"max_tokens\":100,"
				+ "\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"0123456789ab\"}]}",
				"anthropic-version", "2023-06-01");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = SimulatorClient.json(response);
		assertThat(body.get("id").asString()).startsWith("msg_");
		assertThat(body.get("type").asString()).isEqualTo("message");
		assertThat(body.get("role").asString()).isEqualTo("assistant");
		assertThat(body.get("model").asString()).isEqualTo("claude-sim");
		assertThat(body.get("content").get(0).get("type").asString()).isEqualTo("text");
		assertThat(body.get("content").get(0).get("text").asString()).isEqualTo(SimulatedText.text(16));
		assertThat(body.get("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(body.get("stop_sequence").isNull()).isTrue();
		JsonNode usage = body.get("usage");
		// "be brief" and the message: 8 + 12 characters.
		assertThat(usage.get("input_tokens").asInt()).isEqualTo(5);
		assertThat(usage.get("output_tokens").asInt()).isEqualTo(16);
		assertThat(usage.get("cache_read_input_tokens").asInt()).isZero();
		assertThat(usage.get("cache_creation_input_tokens").asInt()).isZero();
	}

	@Test
	void stopsAtMaxTokensWithStopReasonMaxTokens() {
		JsonNode body = SimulatorClient.json(client.post(MESSAGES,
				"{\"model\":\"c\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

		assertThat(body.get("content").get(0).get("text").asString()).isEqualTo(" lorem ipsum");
		assertThat(body.get("stop_reason").asString()).isEqualTo("max_tokens");
	}

	@Test
	void streamsEventsInAnthropicOrder() {
		SimulatorClient.StreamResult stream = client.stream(MESSAGES, "{\"model\":\"c\",\"max_tokens\":3,"
				+ "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello world!\"}]}");

		assertThat(stream.failure()).isNull();
		assertThat(stream.names()).containsExactly("message_start", "content_block_start", "ping",
				"content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
				"message_delta", "message_stop");
		List<JsonNode> data = stream.data();
		assertThat(data).allSatisfy((event) -> assertThat(event.get("type").asString())
			.isEqualTo(stream.names().get(data.indexOf(event))));
		JsonNode message = data.get(0).get("message");
		assertThat(message.get("content")).isEmpty();
		assertThat(message.get("usage").get("input_tokens").asInt()).isEqualTo(3);
		assertThat(message.get("usage").get("output_tokens").asInt()).isEqualTo(1);
		assertThat(data.get(1).get("content_block").get("type").asString()).isEqualTo("text");
		assertThat(data.subList(3, 6)).extracting((event) -> event.get("delta").get("text").asString())
			.containsExactly(" lorem", " ipsum", " dolor");
		assertThat(data.get(3).get("delta").get("type").asString()).isEqualTo("text_delta");
		JsonNode messageDelta = data.get(7);
		assertThat(messageDelta.get("delta").get("stop_reason").asString()).isEqualTo("max_tokens");
		assertThat(messageDelta.get("delta").get("stop_sequence").isNull()).isTrue();
		assertThat(messageDelta.get("usage").get("output_tokens").asInt()).isEqualTo(3);
	}

	@Test
	void rejectsRequestsWithoutMaxTokensInAnthropicShape() {
		HttpResponse<String> response = client.post(MESSAGES,
				"{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = SimulatorClient.json(response);
		assertThat(body.get("type").asString()).isEqualTo("error");
		assertThat(body.get("error").get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(body.get("error").get("message").asString()).contains("max_tokens");
	}

	@Test
	void rateLimitsInAnthropicShape() {
		simulator.control().setProfile("c", ModelProfile.DEFAULT.withRateLimitRate(1.0));

		HttpResponse<String> response = client.post(MESSAGES,
				"{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("1");
		assertThat(SimulatorClient.json(response).get("error").get("type").asString()).isEqualTo("rate_limit_error");
	}

}
