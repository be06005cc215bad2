package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.util.List;

import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

class ChatCompletionsTest extends GatewayTestSupport {

	@Test
	void completionCarriesUsageRequestIdAndServingDeploymentAndIsBilledExactly() {
		EntityExchangeResult<byte[]> result = post("/v1/chat/completions", chat("chat-default", false, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "primary")
			.expectBody()
			.returnResult();
		String requestId = result.getResponseHeaders().getFirst("x-request-id");
		assertThat(requestId).startsWith("req_");
		JsonNode body = Json.parse(result.getResponseBody());
		assertThat(body.path("object").asString()).isEqualTo("chat.completion");
		assertThat(body.path("choices").get(0).path("message").path("content").asString()).isNotBlank();
		long prompt = body.path("usage").path("prompt_tokens").asLong();
		long completion = body.path("usage").path("completion_tokens").asLong();
		assertThat(completion).isEqualTo(5);

		List<UsageRecord> records = usage(requestId);
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.status()).isEqualTo(UsageStatus.SUCCESS);
			assertThat(record.deploymentId()).isEqualTo("primary");
			assertThat(record.modelAlias()).isEqualTo("chat-default");
			assertThat(record.usage().estimated()).isFalse();
			assertThat(record.usage().inputTokens()).isEqualTo(prompt);
			assertThat(record.usage().outputTokens()).isEqualTo(completion);
			// primary costs $1 per million input and $2 per million output tokens
			BigDecimal expected = BigDecimal.valueOf(prompt * 1 + completion * 2).movePointLeft(6);
			assertThat(record.providerCost()).isEqualByComparingTo(expected);
			// Priced from the price book seeded from that configuration; the tenant has no pricing: pays cost.
			assertThat(record.priceVersion()).isEqualTo(1);
			assertThat(record.customerPrice()).isEqualByComparingTo(expected);
		});
	}

	@Test
	void streamPassesChunksThroughAndEndsWithDoneWithoutUsageTheClientDidNotAskFor() {
		String body = post("/v1/chat/completions", chat("chat-default", true, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/event-stream")
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "primary")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> events = dataLines(body);
		assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
		StringBuilder text = new StringBuilder();
		for (String event : events.subList(0, events.size() - 1)) {
			JsonNode chunk = Json.parse(event);
			assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.path("choices").isEmpty()).as("no usage-only chunk").isFalse();
			text.append(chunk.path("choices").get(0).path("delta").path("content").asString(""));
		}
		assertThat(text.toString().trim().split(" ")).hasSize(5);
		// The gateway still asked the provider for usage, to meter the stream exactly.
		JsonNode forwarded = this.simulator.control().lastRequest("primary-model");
		assertThat(forwarded.path("stream_options").path("include_usage").asBoolean()).isTrue();
		assertThat(forwarded.path("model").asString()).isEqualTo("primary-model");
	}

	@Test
	void streamWithIncludeUsageEndsWithTheUsageChunkAndIsMeteredExactly() {
		EntityExchangeResult<String> result = post("/v1/chat/completions",
				chat("chat-default", true, ",\"stream_options\":{\"include_usage\":true}"))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		List<String> events = dataLines(result.getResponseBody());
		JsonNode usageChunk = Json.parse(events.get(events.size() - 2));
		assertThat(usageChunk.path("choices").isEmpty()).isTrue();
		assertThat(usageChunk.path("usage").path("completion_tokens").asLong()).isEqualTo(5);
		List<UsageRecord> records = usage(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(records).singleElement()
			.satisfies(record -> assertThat(record.usage().outputTokens()).isEqualTo(5L));
	}

	@Test
	void usageIsCountedWithTheTokenizerAndMarkedEstimatedWhenTheProviderReportsNone() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withOmitUsage(true));
		EntityExchangeResult<String> result = post("/v1/chat/completions", chat("chat-default", true, ""))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getResponseBody()).contains("[DONE]");
		List<UsageRecord> records = usage(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.usage().estimated()).isTrue();
			assertThat(record.usage().inputTokens()).isGreaterThan(5L);
			assertThat(record.usage().outputTokens()).isEqualTo(5L);
			assertThat(record.providerCost()).isPositive();
		});
	}

	@Test
	void anthropicDeploymentServesOpenAiClientsWholeAndStreamed() {
		JsonNode completion = Json.parse(post("/v1/chat/completions", chat("claude-only", false, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "claude")
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(completion.path("choices").get(0).path("finish_reason").asString()).isEqualTo("length");
		assertThat(completion.path("usage").path("completion_tokens").asLong()).isEqualTo(5);
		JsonNode forwarded = this.simulator.control().lastRequest("claude-model");
		assertThat(forwarded.path("system").toString()).contains("Be brief.");
		assertThat(forwarded.path("max_tokens").asInt()).isEqualTo(5);
		assertThat(this.simulator.control().lastHeaders("claude-model")).containsKey("anthropic-version");

		String stream = post("/v1/chat/completions",
				chat("claude-only", true, ",\"stream_options\":{\"include_usage\":true}"))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> events = dataLines(stream);
		assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
		JsonNode usage = Json.parse(events.get(events.size() - 2)).path("usage");
		assertThat(usage.path("completion_tokens").asLong()).isEqualTo(5);
	}

	@Test
	void anthropicMessagesApiIsServedByAnOpenAiDeployment() {
		String request = "{\"model\":\"chat-default\",\"max_tokens\":5,\"system\":\"Be brief.\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
		JsonNode message = Json.parse(this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", KEY)
			.header("anthropic-version", "2023-06-01")
			.header("content-type", "application/json")
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "primary")
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("stop_reason").asString()).isEqualTo("max_tokens");
		assertThat(message.path("content").get(0).path("text").asString()).isNotBlank();
		assertThat(message.path("usage").path("output_tokens").asLong()).isEqualTo(5);
		JsonNode forwarded = this.simulator.control().lastRequest("primary-model");
		assertThat(forwarded.path("messages").get(0).path("role").asString()).isEqualTo("system");

		String stream = this.client.post()
			.uri("/v1/messages")
			.header("x-api-key", KEY)
			.header("content-type", "application/json")
			.bodyValue(request.replace("{\"model\"", "{\"stream\":true,\"model\""))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> names = stream.lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
		assertThat(names.get(0)).isEqualTo("message_start");
		assertThat(names).contains("content_block_start", "content_block_delta", "content_block_stop",
				"message_delta");
		assertThat(names.get(names.size() - 1)).isEqualTo("message_stop");
	}

	static List<String> dataLines(String sse) {
		return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
	}

}
