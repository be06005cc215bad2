package io.fulcrum.simulator;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ControlEndpointTest {

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
	void changesAModelsProfileWithPut() {
		HttpResponse<String> put = client.put("/sim/models/gpt-4o",
				"{\"defaultOutputTokens\":4,\"errorRate\":0.0,\"omitUsage\":true,"
						+ "\"ttftP99Ms\":20,\"ttftMedianMs\":10}");

		assertThat(put.statusCode()).isEqualTo(200);
		JsonNode profile = SimulatorClient.json(put);
		assertThat(profile.get("defaultOutputTokens").asInt()).isEqualTo(4);
		assertThat(profile.get("ttftMedianMs").asInt()).isEqualTo(10);
		assertThat(profile.get("ttftP99Ms").asInt()).isEqualTo(20);
		assertThat(simulator.control().profile("gpt-4o"))
			.isEqualTo(ModelProfile.DEFAULT.withDefaultOutputTokens(4).withOmitUsage(true).withTtft(10, 20));
		JsonNode answer = SimulatorClient.json(client.post(CHAT,
				"{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
		assertThat(answer.get("choices").get(0).get("message").get("content").asString())
			.isEqualTo(SimulatedText.text(4));
		assertThat(answer.has("usage")).isFalse();
	}

	@Test
	void rejectsUnknownOrInvalidProfileFields() {
		HttpResponse<String> unknown = client.put("/sim/models/m", "{\"ttft\":10}");
		HttpResponse<String> outOfRange = client.put("/sim/models/m", "{\"errorRate\":2}");
		HttpResponse<String> malformed = client.put("/sim/models/m", "{");

		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(SimulatorClient.json(unknown).get("error").get("message").asString()).contains("ttft");
		assertThat(outOfRange.statusCode()).isEqualTo(400);
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(simulator.control().profiles()).isEmpty();
	}

	@Test
	void startsAnOutageWithPost() {
		HttpResponse<String> outage = client.post("/sim/models/m/outage?seconds=30", "");

		assertThat(outage.statusCode()).isEqualTo(200);
		assertThat(SimulatorClient.json(outage).get("model").asString()).isEqualTo("m");
		assertThat(client.post(CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.statusCode()).isEqualTo(503);
		assertThat(client.post("/sim/models/m/outage?seconds=nope", "").statusCode()).isEqualTo(400);
	}

	@Test
	void reportsCountersInStats() {
		simulator.control().setProfile("m", ModelProfile.DEFAULT.withTokensPerSecond(1000));
		client.post(CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		client.stream(CHAT, "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		JsonNode stats = SimulatorClient.json(client.get("/sim/stats"));

		assertThat(stats.get("totalRequests").asInt()).isEqualTo(2);
		assertThat(stats.get("requests").get("m").asInt()).isEqualTo(2);
		assertThat(stats.get("completedStreams").asInt()).isEqualTo(1);
		assertThat(stats.get("cancelledStreams").asInt()).isZero();
		assertThat(stats.get("profiles").get("m").get("tokensPerSecond").asDouble()).isEqualTo(1000.0);
		assertThat(stats.get("defaultProfile").get("defaultOutputTokens").asInt()).isEqualTo(16);
	}

	@Test
	void resetsProfilesAndCountersWithPost() {
		client.put("/sim/models/m", "{\"hang\":true}");
		client.put("/sim/default", "{\"defaultOutputTokens\":3}");
		client.post(CHAT, "{\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		HttpResponse<String> reset = client.post("/sim/reset", "");

		assertThat(reset.statusCode()).isEqualTo(200);
		assertThat(simulator.control().profiles()).isEmpty();
		assertThat(simulator.control().defaultProfile()).isEqualTo(ModelProfile.DEFAULT);
		assertThat(simulator.control().totalRequests()).isZero();
		assertThat(simulator.control().lastRequest("other")).isNull();
	}

	@Test
	void listsModelsWithProfilesAndTheDefault() {
		simulator.control().setProfile("b-model", ModelProfile.DEFAULT);
		simulator.control().setProfile("a-model", ModelProfile.DEFAULT);

		JsonNode list = SimulatorClient.json(client.get("/v1/models"));

		assertThat(list.get("object").asString()).isEqualTo("list");
		assertThat(list.get("data")).extracting((model) -> model.get("id").asString())
			.containsExactly("a-model", "b-model", "sim-default");
		assertThat(list.get("data").get(0).get("object").asString()).isEqualTo("model");
		assertThat(list.get("data").get(0).get("owned_by").asString()).isEqualTo("simulator");
		assertThat(list.get("data").get(0).get("created").asLong()).isPositive();
	}

	@Test
	void decodesModelNamesWithSlashesAndEscapes() {
		client.put("/sim/models/meta-llama/Llama-3.1%208B", "{\"defaultOutputTokens\":2}");

		assertThat(simulator.control().profile("meta-llama/Llama-3.1 8B").defaultOutputTokens()).isEqualTo(2);
	}

}
