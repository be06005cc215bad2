package io.fulcrum.gateway;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/embeddings} and {@code /v1/models} through the running gateway. */
class EmbeddingsAndModelsTest extends RunningGatewayTest {

	@Autowired
	DeploymentCatalog catalog;

	@Test
	void aStringIsEmbeddedByTheEmbeddingsDeployment() {
		Answer answer = post("/v1/embeddings", KEY, "{\"model\":\"text-embedding\",\"input\":\"The quick brown fox\"}");

		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		assertThat(answer.header("x-fulcrum-deployment")).isEqualTo("embedder");
		JsonNode body = answer.json();
		assertThat(body.path("object").asString()).isEqualTo("list");
		assertThat(body.path("data").size()).isEqualTo(1);
		JsonNode first = body.path("data").get(0);
		assertThat(first.path("object").asString()).isEqualTo("embedding");
		assertThat(first.path("index").asInt()).isZero();
		assertThat(first.path("embedding").isArray()).isTrue();
		assertThat(first.path("embedding").size()).isPositive();
		assertThat(body.path("usage").path("prompt_tokens").asLong()).isPositive();
		assertThat(body.path("usage").path("total_tokens").asLong())
			.isEqualTo(body.path("usage").path("prompt_tokens").asLong());
		assertThat(this.simulator.control().requests("embed-model")).isEqualTo(1);
		assertThat(this.simulator.control().lastRequest("embed-model").path("model").asString())
			.isEqualTo("embed-model");
	}

	@Test
	void anArrayGetsOneEmbeddingPerItemInOrder() {
		Answer answer = post("/v1/embeddings", KEY,
				"{\"model\":\"text-embedding\",\"input\":[\"first\",\"second text\",\"third one here\"]}");

		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		assertThat(answer.header("x-fulcrum-deployment")).isEqualTo("embedder");
		JsonNode data = answer.json().path("data");
		assertThat(data.size()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(data.get(i).path("index").asInt()).isEqualTo(i);
		}
		assertThat(answer.json().path("usage").path("prompt_tokens").asLong()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aMissingInputIsA400NamingIt() {
		Answer answer = post("/v1/embeddings", KEY, "{\"model\":\"text-embedding\"}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").path("param").asString()).isEqualTo("input");
		assertThat(this.simulator.control().totalRequests()).isZero();
	}

	@Test
	void anEmptyInputArrayIsA400() {
		Answer answer = post("/v1/embeddings", KEY, "{\"model\":\"text-embedding\",\"input\":[]}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").path("param").asString()).isEqualTo("input");
	}

	@Test
	void aChatModelIsNotAnEmbeddingsModel() {
		Answer answer = post("/v1/embeddings", KEY, "{\"model\":\"chat-default\",\"input\":\"hello\"}");

		assertThat(answer.status()).isEqualTo(404);
		JsonNode error = answer.json().path("error");
		assertThat(error.path("param").asString()).isEqualTo("model");
		assertThat(error.path("code").asString()).isEqualTo("model_not_found");
		assertThat(error.path("message").asString()).contains("chat-default").contains("embeddings");
	}

	@Test
	void anEmbeddingsModelIsNotAChatModel() {
		Answer answer = post("/v1/chat/completions", KEY, chat("text-embedding"));

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.json().path("error").path("message").asString()).contains("chat model");
	}

	@Test
	void modelsListsEveryAliasForAnUnrestrictedKey() {
		Answer answer = get("/v1/models", KEY);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("object").asString()).isEqualTo("list");
		// The it profile's aliases, and whatever application.yml adds to them (Spring merges the two maps).
		assertThat(ids(answer.json())).contains("chat-default", "claude-only", "primary-only", "text-embedding")
			.containsExactlyInAnyOrderElementsOf(
					this.catalog.aliases().stream().map(ModelAlias::name).toList());
		answer.json().path("data").forEach(model -> {
			assertThat(model.path("object").asString()).isEqualTo("model");
			assertThat(model.path("owned_by").asString()).isEqualTo("fulcrum");
			assertThat(model.path("created").asLong()).isPositive();
		});
	}

	@Test
	void aKeyLimitedToOneAliasSeesOnlyIt() {
		String limited = issueKey("primary-only").secret();

		Answer answer = get("/v1/models", limited);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(ids(answer.json())).containsExactly("primary-only");
		assertThat(get("/v1/models/chat-default", limited).status()).isEqualTo(404);
	}

	@Test
	void oneModelCanBeRetrievedById() {
		Answer answer = get("/v1/models/claude-only", KEY);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("id").asString()).isEqualTo("claude-only");
		assertThat(answer.json().path("object").asString()).isEqualTo("model");
	}

	@Test
	void anUnknownModelIdIsA404() {
		Answer answer = get("/v1/models/no-such-model", KEY);

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.json().path("error").path("param").asString()).isEqualTo("model");
		assertThat(answer.json().path("error").path("code").asString()).isEqualTo("model_not_found");
	}

	@Test
	void listingModelsNeedsAKey() {
		assertThat(get("/v1/models", null).status()).isEqualTo(401);
	}

	private static List<String> ids(JsonNode list) {
		List<String> ids = new ArrayList<>();
		list.path("data").forEach(model -> ids.add(model.path("id").asString()));
		return ids;
	}

}
