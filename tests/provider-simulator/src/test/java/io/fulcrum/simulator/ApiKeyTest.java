package io.fulcrum.simulator;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyTest {

	private static final String CHAT_REQUEST = "{\"model\":\"m\","
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	private static final String MESSAGES_REQUEST = "{\"model\":\"m\",\"max_tokens\":5,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	private static ProviderSimulator simulator;

	private static SimulatorClient client;

	@BeforeAll
	static void start() {
		simulator = ProviderSimulator.start(SimulatorOptions.defaults().withApiKey("sk-sim-secret"));
		client = new SimulatorClient(simulator);
	}

	@AfterAll
	static void stop() {
		simulator.close();
	}

	@Test
	void rejectsRequestsWithoutTheKeyInEachProvidersShape() {
		HttpResponse<String> openAi = client.post("/v1/chat/completions", CHAT_REQUEST);
		HttpResponse<String> wrongKey = client.post("/v1/chat/completions", CHAT_REQUEST, "authorization",
				"Bearer sk-wrong");
		HttpResponse<String> anthropic = client.post("/v1/messages", MESSAGES_REQUEST, "x-api-key", "sk-wrong");
		HttpResponse<String> models = client.get("/v1/models");

		assertThat(openAi.statusCode()).isEqualTo(401);
		JsonNode openAiError = SimulatorClient.json(openAi).get("error");
		assertThat(openAiError.get("code").asString()).isEqualTo("invalid_api_key");
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		assertThat(anthropic.statusCode()).isEqualTo(401);
		assertThat(SimulatorClient.json(anthropic).get("error").get("type").asString())
			.isEqualTo("authentication_error");
		assertThat(models.statusCode()).isEqualTo(401);
	}

	@Test
	void acceptsTheKeyAsBearerTokenOrXApiKey() {
		HttpResponse<String> bearer = client.post("/v1/chat/completions", CHAT_REQUEST, "authorization",
				"Bearer sk-sim-secret");
		HttpResponse<String> xApiKey = client.post("/v1/messages", MESSAGES_REQUEST, "x-api-key", "sk-sim-secret");

		assertThat(bearer.statusCode()).isEqualTo(200);
		assertThat(xApiKey.statusCode()).isEqualTo(200);
	}

	@Test
	void leavesTheControlEndpointsOpen() {
		assertThat(client.get("/sim/stats").statusCode()).isEqualTo(200);
	}

}
