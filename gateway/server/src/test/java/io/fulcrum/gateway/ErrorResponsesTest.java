package io.fulcrum.gateway;

import java.time.Duration;

import io.fulcrum.simulator.ModelProfile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error the gateway answers with, through the running gateway: status, OpenAI's (or, on
 * {@code /v1/messages}, Anthropic's) error shape, the request id header, and never a stack trace.
 */
class ErrorResponsesTest extends RunningGatewayTest {

	@Test
	void malformedJsonIsA400() {
		Answer answer = post("/v1/chat/completions", KEY, "{\"model\": \"chat-default\", \"messages\": [");

		JsonNode error = assertOpenAiError(answer, 400, "invalid_request_error", null, "invalid_json");
		assertThat(error.path("message").asString()).contains("could not parse the JSON body");
	}

	@Test
	void aBodyThatIsNotAnObjectIsA400() {
		assertOpenAiError(post("/v1/chat/completions", KEY, "[1, 2]"), 400, "invalid_request_error", null,
				"invalid_json");
	}

	@Test
	void anInvalidRoleIsA400NamingTheMessage() {
		Answer answer = post("/v1/chat/completions", KEY,
				"{\"model\":\"chat-default\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}");

		assertOpenAiError(answer, 400, "invalid_request_error", "messages[0].role", "invalid_value");
	}

	@Test
	void aZeroMaxTokensIsA400NamingIt() {
		Answer answer = post("/v1/chat/completions", KEY,
				"{\"model\":\"chat-default\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertOpenAiError(answer, 400, "invalid_request_error", "max_tokens", "invalid_value");
	}

	@Test
	void aTemperatureOutOfRangeIsA400NamingIt() {
		Answer answer = post("/v1/chat/completions", KEY,
				"{\"model\":\"chat-default\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertOpenAiError(answer, 400, "invalid_request_error", "temperature", "invalid_value");
	}

	@Test
	void aMissingModelIsA400NamingIt() {
		Answer answer = post("/v1/chat/completions", KEY, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertOpenAiError(answer, 400, "invalid_request_error", "model", "invalid_value");
	}

	@Test
	void invalidRequestsNeverReachAProvider() {
		post("/v1/chat/completions", KEY,
				"{\"model\":\"chat-default\",\"max_tokens\":-5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertThat(this.simulator.control().totalRequests()).isZero();
	}

	@Test
	void aMissingKeyIsA401() {
		JsonNode error = assertOpenAiError(post("/v1/chat/completions", null, chat("chat-default")), 401,
				"authentication_error", null, "missing_api_key");
		assertThat(error.path("message").asString()).contains("Authorization: Bearer");
	}

	@Test
	void anUnknownKeyIsA401() {
		assertOpenAiError(post("/v1/chat/completions", "fk-thisKeyWasNeverIssued00000000000", chat("chat-default")),
				401, "authentication_error", null, "invalid_api_key");
	}

	@Test
	void somethingThatIsNotAKeyIsA401() {
		assertOpenAiError(post("/v1/chat/completions", "sk-openai-style-key", chat("chat-default")), 401,
				"authentication_error", null, "invalid_api_key");
	}

	@Test
	void anUnknownKeyInXApiKeyIsA401() {
		Answer answer = Answer.of(this.client.post()
			.uri("/v1/chat/completions")
			.header("x-api-key", "fk-thisKeyWasNeverIssued00000000000")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat("chat-default"))
			.exchange()
			.expectBody(byte[].class)
			.returnResult());

		assertOpenAiError(answer, 401, "authentication_error", null, "invalid_api_key");
	}

	@Test
	void aValidKeyInXApiKeyIsAccepted() {
		Answer answer = Answer.of(this.client.post()
			.uri("/v1/chat/completions")
			.header("x-api-key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat("chat-default"))
			.exchange()
			.expectBody(byte[].class)
			.returnResult());

		assertThat(answer.status()).isEqualTo(200);
	}

	@Test
	void aModelTheKeyMayNotUseIsA403() {
		String limited = issueKey("primary-only").secret();

		Answer answer = post("/v1/chat/completions", limited, chat("chat-default"));

		JsonNode error = assertOpenAiError(answer, 403, "permission_error", "model", "model_not_allowed");
		assertThat(error.path("message").asString()).contains("chat-default");
		assertThat(post("/v1/chat/completions", limited, chat("primary-only")).status()).isEqualTo(200);
	}

	@Test
	void unknownModelIsA404NamingTheModel() {
		Answer answer = post("/v1/chat/completions", KEY, chat("gpt-9-ultra"));

		JsonNode error = assertOpenAiError(answer, 404, "not_found_error", "model", "model_not_found");
		assertThat(error.path("message").asString()).contains("gpt-9-ultra");
	}

	@Test
	void anUnknownPathIsAJson404() {
		Answer answer = get("/v1/nothing-here", KEY);

		assertOpenAiError(answer, 404, "not_found_error", null, "unknown_url");
		assertThat(answer.text()).doesNotContain("<html");
	}

	@Test
	void anUnknownPathWithoutAKeyIsAJson404Too() {
		Answer answer = post("/v2/chat/completions", null, chat("chat-default"));

		assertOpenAiError(answer, 404, "not_found_error", null, "unknown_url");
	}

	@Test
	void getOnChatCompletionsIsA405() {
		Answer answer = get("/v1/chat/completions", KEY);

		assertOpenAiError(answer, 405, "invalid_request_error", null, "method_not_allowed");
	}

	@Test
	void aBodyOverTheLimitIsA413() {
		String big = "x".repeat(70 * 1024);
		Answer answer = post("/v1/chat/completions", KEY, "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\","
				+ "\"content\":\"" + big + "\"}]}");

		JsonNode error = assertOpenAiError(answer, 413, "invalid_request_error", null, "request_too_large");
		assertThat(error.path("message").asString()).contains(Long.toString(64 * 1024));
		assertThat(this.simulator.control().totalRequests()).isZero();
	}

	@Test
	void everyDeploymentFailingIsA502() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		this.simulator.control().setProfile("backup-model", ModelProfile.DEFAULT.withErrorRate(1.0));

		Answer answer = post("/v1/chat/completions", KEY, chat("chat-default"));

		JsonNode error = assertOpenAiError(answer, 502, "upstream_error", null, "all_deployments_failed");
		assertThat(error.path("message").asString()).contains("'primary'").contains("'backup'");
		// primary retries once (max-retries: 1), backup does not.
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(2);
		assertThat(this.simulator.control().requests("backup-model")).isEqualTo(1);
	}

	@Test
	void everyDeploymentInAnOutageIsA503() {
		this.simulator.control().startOutage("primary-model", Duration.ofMinutes(1));
		this.simulator.control().startOutage("backup-model", Duration.ofMinutes(1));

		Answer answer = post("/v1/chat/completions", KEY, chat("chat-default"));

		assertOpenAiError(answer, 503, "service_unavailable", null, "all_deployments_failed");
	}

	@Test
	void everyDeploymentHangingIsA504() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withHang(true));
		this.simulator.control().setProfile("backup-model", ModelProfile.DEFAULT.withHang(true));

		Answer answer = post("/v1/chat/completions", KEY, chat("chat-default"));

		JsonNode error = assertOpenAiError(answer, 504, "timeout_error", null, "all_deployments_failed");
		assertThat(error.path("message").asString()).contains("no answer within 3000 ms");
	}

	@Test
	void everyDeploymentRateLimitedIsA429WithRetryAfter() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withRateLimitRate(1.0));
		this.simulator.control().setProfile("backup-model", ModelProfile.DEFAULT.withRateLimitRate(1.0));

		Answer answer = post("/v1/chat/completions", KEY, chat("chat-default"));

		assertOpenAiError(answer, 429, "rate_limit_error", null, "all_deployments_failed");
		assertThat(answer.header("Retry-After")).isEqualTo("1");
		// A 429 falls back at once: no retry on the same deployment.
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
	}

	@Test
	void malformedJsonOnMessagesIsAnAnthropic400() {
		Answer answer = post("/v1/messages", KEY, "{\"model\":");

		assertAnthropicError(answer, 400, "invalid_request_error");
	}

	@Test
	void aMissingMaxTokensOnMessagesIsAnAnthropic400() {
		Answer answer = post("/v1/messages", KEY,
				"{\"model\":\"claude-only\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		JsonNode body = assertAnthropicError(answer, 400, "invalid_request_error");
		assertThat(body.path("error").path("message").asString()).contains("max_tokens");
	}

	@Test
	void aMissingKeyOnMessagesIsAnAnthropic401() {
		Answer answer = post("/v1/messages", null, "{\"model\":\"claude-only\",\"max_tokens\":10,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		assertAnthropicError(answer, 401, "authentication_error");
	}

	@Test
	void anUnknownModelOnMessagesIsAnAnthropic404() {
		Answer answer = post("/v1/messages", KEY, "{\"model\":\"claude-9\",\"max_tokens\":10,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

		JsonNode body = assertAnthropicError(answer, 404, "not_found_error");
		assertThat(body.path("error").path("message").asString()).contains("claude-9");
	}

	@Test
	void everyAnswerCarriesAFreshRequestId() {
		Answer first = post("/v1/chat/completions", KEY, chat("chat-default"));
		Answer second = post("/v1/chat/completions", null, chat("chat-default"));

		assertThat(first.header("x-request-id")).matches("req_[0-9a-z]{24}");
		assertThat(second.header("x-request-id")).matches("req_[0-9a-z]{24}").isNotEqualTo(first.header("x-request-id"));
	}

	private static JsonNode assertOpenAiError(Answer answer, int status, String type, @Nullable String param,
			String code) {
		assertThat(answer.status()).as(answer.text()).isEqualTo(status);
		assertCommon(answer);
		JsonNode body = answer.json();
		assertThat(body.propertyNames()).containsExactly("error");
		JsonNode error = body.path("error");
		assertThat(error.propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
		assertThat(error.path("message").asString()).isNotBlank();
		assertThat(error.path("type").asString()).isEqualTo(type);
		if (param == null) {
			assertThat(error.get("param").isNull()).as("param is null").isTrue();
		}
		else {
			assertThat(error.path("param").asString()).isEqualTo(param);
		}
		assertThat(error.path("code").asString()).isEqualTo(code);
		return error;
	}

	private static JsonNode assertAnthropicError(Answer answer, int status, String type) {
		assertThat(answer.status()).as(answer.text()).isEqualTo(status);
		assertCommon(answer);
		JsonNode body = answer.json();
		assertThat(body.path("type").asString()).isEqualTo("error");
		assertThat(body.path("error").path("type").asString()).isEqualTo(type);
		assertThat(body.path("error").path("message").asString()).isNotBlank();
		return body;
	}

	private static void assertCommon(Answer answer) {
		assertThat(answer.header("x-request-id")).as("x-request-id").matches("req_[0-9a-z]{24}");
		assertThat(answer.headers().getContentType()).isNotNull();
		assertThat(answer.headers().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
		assertThat(answer.text()).doesNotContain("Exception")
			.doesNotContain("at io.fulcrum")
			.doesNotContain("\tat ")
			.doesNotContain("reactor.core");
	}

}
