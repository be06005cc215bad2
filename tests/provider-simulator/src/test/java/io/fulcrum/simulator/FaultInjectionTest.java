package io.fulcrum.simulator;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest {

	private static final String CHAT = "/v1/chat/completions";

	private static final String REQUEST = "{\"model\":\"flaky\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	private static final String STREAM_REQUEST = "{\"model\":\"flaky\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

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
	void rateLimitsWithRetryAfterAndRateLimitHeaders() {
		simulator.control().setProfile("flaky", ModelProfile.DEFAULT.withRateLimitRate(1.0));

		HttpResponse<String> response = client.post(CHAT, REQUEST);

		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("1");
		assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
		assertThat(response.headers().map()).containsKeys("x-ratelimit-limit-requests", "x-ratelimit-reset-requests",
				"x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
		assertThat(SimulatorClient.json(response).get("error").get("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(simulator.control().requests("flaky")).isEqualTo(1);
	}

	@Test
	void failsWithServerErrorInEachProvidersShape() {
		simulator.control().setProfile("flaky", ModelProfile.DEFAULT.withErrorRate(1.0));

		HttpResponse<String> openAi = client.post(CHAT, REQUEST);
		HttpResponse<String> anthropic = client.post("/v1/messages",
				"{\"model\":\"flaky\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		HttpResponse<String> embeddings = client.post("/v1/embeddings", "{\"model\":\"flaky\",\"input\":\"hi\"}");

		assertThat(openAi.statusCode()).isEqualTo(500);
		assertThat(SimulatorClient.json(openAi).get("error").get("type").asString()).isEqualTo("server_error");
		assertThat(anthropic.statusCode()).isEqualTo(500);
		assertThat(SimulatorClient.json(anthropic).get("type").asString()).isEqualTo("error");
		assertThat(SimulatorClient.json(anthropic).get("error").get("type").asString()).isEqualTo("api_error");
		assertThat(embeddings.statusCode()).isEqualTo(500);
	}

	@Test
	void answersOutageWith503ThenRecovers() {
		simulator.control().startOutage("flaky", Duration.ofMillis(1500));

		HttpResponse<String> during = client.post(CHAT, REQUEST);
		HttpResponse<String> otherModel = client.post(CHAT, REQUEST.replace("flaky", "healthy"));

		assertThat(during.statusCode()).isEqualTo(503);
		assertThat(during.headers().firstValue("retry-after")).hasValueSatisfying(
				(seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
		assertThat(otherModel.statusCode()).isEqualTo(200);
		SimulatorClient.awaitUntil(() -> client.post(CHAT, REQUEST).statusCode() == 200);
	}

	@Test
	void answersOutageFromTheProfileInAnthropicShape() {
		simulator.control()
			.setProfile("flaky", ModelProfile.DEFAULT.withOutageUntil(java.time.Instant.now().plusSeconds(60)));

		HttpResponse<String> response = client.post("/v1/messages",
				"{\"model\":\"flaky\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(SimulatorClient.json(response).get("error").get("type").asString()).isEqualTo("overloaded_error");
	}

	@Test
	void cutsTheStreamAfterConfiguredChunksWithoutFinalEvents() {
		simulator.control().setProfile("flaky", ModelProfile.DEFAULT.withFailAfterChunks(3));

		SimulatorClient.StreamResult stream = client.stream(CHAT, STREAM_REQUEST);

		assertThat(stream.failure()).isNotNull();
		List<JsonNode> chunks = stream.data();
		// the role chunk and up to 3 tokens: what is in flight when the connection drops may not arrive
		assertThat(chunks).hasSizeBetween(1, 1 + 3);
		assertThat(chunks).noneMatch((chunk) -> !chunk.get("choices").get(0).get("finish_reason").isNull());
		assertThat(stream.events()).noneMatch((event) -> event.isDone());
		SimulatorClient.awaitUntil(() -> simulator.control().abortedStreams() == 1);
		assertThat(simulator.control().completedStreams()).isZero();
	}

	@Test
	void cutsPacedStreamsToo() {
		simulator.control().setProfile("flaky", ModelProfile.DEFAULT.withTokensPerSecond(200).withFailAfterChunks(2));

		SimulatorClient.StreamResult stream = client.stream(CHAT, STREAM_REQUEST);

		assertThat(stream.failure()).isNotNull();
		// as above: chunks still in flight when the connection drops may be lost with it
		assertThat(stream.data()).hasSizeBetween(1, 1 + 2);
		assertThat(stream.events()).noneMatch((event) -> event.isDone());
		SimulatorClient.awaitUntil(() -> simulator.control().abortedStreams() == 1);
	}

	@Test
	void countsStreamsTheClientCancels() {
		simulator.control()
			.setProfile("flaky", ModelProfile.DEFAULT.withTokensPerSecond(20).withDefaultOutputTokens(200));
		HttpClient reactorClient = HttpClient.create(ConnectionProvider.newConnection()).baseUrl(simulator.baseUrl());

		List<String> received = reactorClient.post()
			.uri(CHAT)
			.send(Mono.just(Unpooled.wrappedBuffer(STREAM_REQUEST.getBytes())))
			.responseContent()
			.asString()
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(received).hasSize(2);
		SimulatorClient.awaitUntil(() -> simulator.control().cancelledStreams() == 1);
		assertThat(simulator.control().completedStreams()).isZero();
	}

	@Test
	void hangsUntilTheClientGivesUp() {
		simulator.control().setProfile("flaky", ModelProfile.DEFAULT.withHang(true));

		assertThatThrownBy(() -> SimulatorClient.send(client.request(CHAT)
			.timeout(Duration.ofMillis(300))
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(REQUEST))
			.build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
		assertThat(simulator.control().requests("flaky")).isEqualTo(1);
	}

}
