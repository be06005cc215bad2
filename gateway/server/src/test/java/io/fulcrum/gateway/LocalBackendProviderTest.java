package io.fulcrum.gateway;

import java.time.Duration;
import java.util.List;

import io.fulcrum.backend.embedding.TokenizedInput;
import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ProviderKind;
import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Fulcrum's own local backend as a provider ({@code type: fulcrum-local}): started in-process on the CPU, it
 * serves alias {@code local-embedding} with real all-MiniLM-L6-v2 embeddings, its usage reaches the ledger, and
 * its load reaches the router.
 */
class LocalBackendProviderTest extends RunningGatewayTest {

	@Autowired
	LocalBackendServer backend;

	@Autowired
	DeploymentCatalog catalog;

	@Autowired
	UsageLedger ledger;

	@Test
	void theLocalBackendIsAProviderTypeWhoseLoadIsPolledWithoutConfiguration() {
		var provider = this.catalog.providers().stream().filter(p -> p.id().equals("local-backend")).findFirst().orElseThrow();
		assertThat(provider.kind()).isEqualTo(ProviderKind.FULCRUM_LOCAL);
		assertThat(provider.baseUrl()).isEqualTo(this.backend.baseUrl() + "/v1");
		assertThat(provider.metricsUrl()).isEqualTo(this.backend.baseUrl() + "/metrics");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.router.stats("local-minilm").backendLoad(System.nanoTime())).isNotNull());
	}

	@Test
	void embeddingsThroughTheGatewayAreTheModelsOwnAndAreMetered() {
		Answer answer = post("/v1/embeddings", KEY, "{\"model\":\"local-embedding\",\"input\":\"The quick brown fox\"}");

		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		assertThat(answer.header("x-fulcrum-deployment")).isEqualTo("local-minilm");
		JsonNode body = answer.json();
		JsonNode vector = body.path("data").get(0).path("embedding");
		assertThat(vector.size()).isEqualTo(384);
		TokenizedInput input = this.backend.model().tokenize(0, "The quick brown fox");
		float[] direct = this.backend.model().embed(List.of(input)).join().get(0);
		for (int i = 0; i < 384; i++) {
			assertThat(vector.get(i).floatValue()).isEqualTo(direct[i]);
		}
		assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(4);

		// The meter appends asynchronously: the record lands within moments.
		UsageRecord record = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.ledger.findByRequestId(answer.header("x-request-id")).blockFirst(Duration.ofSeconds(5)),
					r -> r != null);
		assertThat(record.deploymentId()).isEqualTo("local-minilm");
		assertThat(record.usage().inputTokens()).isEqualTo(4L);
		assertThat(record.usage().estimated()).isFalse();
	}

	@Test
	void textGenerationThroughTheGatewayIsTheModelsOwnStreamsAndIsMeteredExactly() {
		assumeTrue(this.backend.generator() != null, "stories260K.gguf is not in the shared models folder");
		String request = "{\"model\":\"local-story\",\"max_tokens\":24,\"temperature\":0,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]";
		Answer whole = post("/v1/chat/completions", KEY, request + "}");
		assertThat(whole.status()).as(whole.text()).isEqualTo(200);
		assertThat(whole.header("x-fulcrum-deployment")).isEqualTo("local-stories");
		String text = whole.json().path("choices").get(0).path("message").path("content").asString();
		assertThat(text).isNotBlank();
		assertThat(whole.json().path("usage").path("completion_tokens").asLong()).isEqualTo(24);

		Answer streamed = post("/v1/chat/completions", KEY, request + ",\"stream\":true}");
		assertThat(streamed.status()).as(streamed.text()).isEqualTo(200);
		StringBuilder joined = new StringBuilder();
		for (String line : streamed.text().split("\n")) {
			if (line.startsWith("data: {")) {
				JsonNode choices = Json.parse(line.substring(6)).path("choices");
				if (!choices.isEmpty()) {
					joined.append(choices.get(0).path("delta").path("content").asString(""));
				}
			}
		}
		assertThat(joined.toString()).isEqualTo(text);

		UsageRecord record = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.ledger.findByRequestId(streamed.header("x-request-id")).blockFirst(Duration.ofSeconds(5)),
					r -> r != null);
		assertThat(record.deploymentId()).isEqualTo("local-stories");
		assertThat(record.usage().outputTokens()).isEqualTo(24L);
		assertThat(record.usage().estimated()).isFalse();
		// The router reads the generation engine's load (running, waiting, KV-cache use) from the backend.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.router.stats("local-stories").backendLoad(System.nanoTime())).isNotNull());
	}

	@Test
	void aBatchOfInputsComesBackInOrder() {
		Answer answer = post("/v1/embeddings", KEY,
				"{\"model\":\"local-embedding\",\"input\":[\"first\",\"\",\"third input\"],\"encoding_format\":\"base64\"}");

		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		JsonNode data = answer.json().path("data");
		assertThat(data.size()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(data.get(i).path("index").asInt()).isEqualTo(i);
			assertThat(data.get(i).path("embedding").asString()).hasSize(2048);
		}
	}

}
