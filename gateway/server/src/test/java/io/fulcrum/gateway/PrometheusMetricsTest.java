package io.fulcrum.gateway;

import java.util.Arrays;
import java.util.List;

import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator scrapes: the gateway's meters in Prometheus' format, and the Kubernetes probes. */
class PrometheusMetricsTest extends RunningGatewayTest {

	@Test
	void aServedRequestIsCountedByModelDeploymentAndOutcome() {
		double before = sample("fulcrum_requests_total", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"", "outcome=\"success\"");

		assertThat(post("/v1/chat/completions", KEY, chat("primary-only")).status()).isEqualTo(200);

		assertThat(sample("fulcrum_requests_total", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"", "outcome=\"success\"")).isEqualTo(before + 1);
		assertThat(sample("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"")).isGreaterThanOrEqualTo(1);
		assertThat(sample("gen_ai_server_request_duration_seconds_count", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"", "outcome=\"success\"")).isGreaterThanOrEqualTo(1);
		assertThat(sample("gen_ai_client_token_usage_tokens_total", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"", "gen_ai_token_type=\"input\"")).isPositive();
		assertThat(sample("gen_ai_client_token_usage_tokens_total", "gen_ai_request_model=\"primary-only\"",
				"fulcrum_deployment=\"primary\"", "gen_ai_token_type=\"output\"")).isPositive();
	}

	@Test
	void aFallbackIsCountedAgainstTheDeploymentThatFailed() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		double before = sample("fulcrum_fallbacks_total", "gen_ai_request_model=\"chat-default\"",
				"fulcrum_deployment=\"primary\"");
		double failedBefore = sample("fulcrum_requests_total", "gen_ai_request_model=\"chat-default\"",
				"fulcrum_deployment=\"primary\"", "outcome=\"failed\"");

		Answer answer = post("/v1/chat/completions", KEY, chat("chat-default"));

		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		assertThat(answer.header("x-fulcrum-deployment")).isEqualTo("backup");
		assertThat(sample("fulcrum_fallbacks_total", "gen_ai_request_model=\"chat-default\"",
				"fulcrum_deployment=\"primary\"")).isEqualTo(before + 1);
		// Two failed attempts on primary (one retry), then backup served.
		assertThat(sample("fulcrum_requests_total", "gen_ai_request_model=\"chat-default\"",
				"fulcrum_deployment=\"primary\"", "outcome=\"failed\"")).isEqualTo(failedBefore + 2);
		assertThat(sample("fulcrum_requests_total", "gen_ai_request_model=\"chat-default\"",
				"fulcrum_deployment=\"backup\"", "outcome=\"success\"")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void errorAnswersAreCountedByStatus() {
		double before = sample("fulcrum_errors_total", "status=\"404\"", "error_type=\"not_found_error\"");

		post("/v1/chat/completions", KEY, chat("no-such-model"));

		assertThat(sample("fulcrum_errors_total", "status=\"404\"", "error_type=\"not_found_error\""))
			.isEqualTo(before + 1);
	}

	@Test
	void everyDeploymentsCircuitBreakerStateIsExported() {
		for (String deployment : List.of("primary", "backup", "claude", "embedder")) {
			assertThat(sample("resilience4j_circuitbreaker_state", "name=\"" + deployment + "\"", "state=\"closed\""))
				.as(deployment)
				.isEqualTo(1);
		}
	}

	@Test
	void theMetersCarryTheApplicationTag() {
		assertThat(scrape()).contains("application=\"fulcrum-gateway\"");
	}

	@Test
	void readinessAndLivenessAreUp() {
		for (String probe : List.of("/actuator/health/readiness", "/actuator/health/liveness", "/actuator/health")) {
			Answer answer = get(probe, null);
			assertThat(answer.status()).as(probe).isEqualTo(200);
			assertThat(answer.json().path("status").asString()).as(probe).isEqualTo("UP");
		}
	}

	private String scrape() {
		Answer answer = get("/actuator/prometheus", null);
		assertThat(answer.status()).isEqualTo(200);
		return answer.text();
	}

	/**
	 * The value of the one sample of {@code name} whose labels contain every fragment; 0 when there is none yet.
	 */
	private double sample(String name, String... labels) {
		List<String> lines = scrape().lines()
			.filter(line -> line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains))
			.toList();
		assertThat(lines).as(name + " " + Arrays.toString(labels)).hasSizeLessThanOrEqualTo(1);
		if (lines.isEmpty()) {
			return 0;
		}
		String line = lines.get(0);
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

}
