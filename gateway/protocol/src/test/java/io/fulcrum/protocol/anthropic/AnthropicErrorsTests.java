package io.fulcrum.protocol.anthropic;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

class AnthropicErrorsTests {

	@ParameterizedTest
	@CsvSource({ "400, invalid_request_error", "401, authentication_error", "402, billing_error",
			"403, permission_error", "404, not_found_error", "413, request_too_large", "422, invalid_request_error",
			"429, rate_limit_error", "500, api_error", "502, api_error", "503, overloaded_error",
			"504, timeout_error", "529, overloaded_error" })
	void mapsStatusToErrorType(int status, String type) {
		assertThat(AnthropicErrors.typeForStatus(status)).isEqualTo(type);
	}

	@ParameterizedTest
	@CsvSource({ "invalid_request_error, 400", "authentication_error, 401", "permission_error, 403",
			"not_found_error, 404", "request_too_large, 413", "rate_limit_error, 429", "api_error, 500",
			"overloaded_error, 529", "timeout_error, 504", "something_new, 500" })
	void mapsErrorTypeToStatus(String type, int status) {
		assertThat(AnthropicErrors.statusForType(type)).isEqualTo(status);
	}

	@Test
	void buildsErrorBodyFromStatus() {
		assertJson(AnthropicErrors.body(429, "Slow down"), """
				{"type": "error", "error": {"type": "rate_limit_error", "message": "Slow down"}}
				""");
	}

	@Test
	void buildsErrorBodyForTranslationFailure() {
		AnthropicTranslationException ex = new AnthropicTranslationException("max_tokens", "max_tokens is required");

		assertJson(AnthropicErrors.body("invalid_request_error", ex.getMessage()), """
				{"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens is required"}}
				""");
	}

	@Test
	void readsAnthropicErrorBody() {
		AnthropicErrors.Detail detail = AnthropicErrors.read(529, bytes("""
				{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}
				"""));

		assertThat(detail).isEqualTo(new AnthropicErrors.Detail("overloaded_error", "Overloaded"));
	}

	@Test
	void describesNonJsonBodyByStatus() {
		AnthropicErrors.Detail detail = AnthropicErrors.read(502, bytes("<html>Bad Gateway</html>\n"));

		assertThat(detail).isEqualTo(new AnthropicErrors.Detail("api_error", "<html>Bad Gateway</html>"));
	}

	@Test
	void describesEmptyBodyByStatus() {
		AnthropicErrors.Detail detail = AnthropicErrors.read(401, new byte[0]);

		assertThat(detail).isEqualTo(new AnthropicErrors.Detail("authentication_error", "upstream returned HTTP 401"));
	}

	@Test
	void fromJsonReturnsNullForBodyWithoutError() {
		assertThat(AnthropicErrors.fromJson(json("{\"type\": \"message\"}"))).isNull();
		assertThat(AnthropicErrors.fromJson(json("{\"error\": \"flat string\"}"))).isNull();
	}

	@Test
	void fromJsonDefaultsMissingType() {
		assertThat(AnthropicErrors.fromJson(json("{\"error\": {\"message\": \"boom\"}}")))
			.isEqualTo(new AnthropicErrors.Detail("api_error", "boom"));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
