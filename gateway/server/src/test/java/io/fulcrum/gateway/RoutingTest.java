package io.fulcrum.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router inside the running gateway (policies of the {@code it} profile, half-life 2 s): cost under an SLO,
 * moving off a deployment whose latency degrades and back when it recovers, a local backend's reported queue,
 * shedding batch work, and policies changed through the admin API without a restart.
 */
class RoutingTest extends RunningGatewayTest {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@Test
	void choosesTheCheapestDeploymentThatMeetsTheSloAndExplainsWhy() {
		// Configured order lists routed-dear first; both are fast, so cost decides (exploration aside).
		List<String> served = awaitRoute("chat-routed", "routed-cheap");
		Answer answer = stream("chat-routed", null);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(served.subList(served.size() - 3, served.size())).containsOnly("routed-cheap");
		String route = answer.header("x-fulcrum-route");
		assertThat(route).startsWith("chose=" + answer.header("x-fulcrum-deployment") + "; ")
			.contains("routed-cheap p=")
			.contains("routed-dear p=")
			.contains("qualifies");
	}

	@Test
	void movesTrafficOffADeploymentWhoseLatencyDegradesAndBackWhenItRecovers() {
		awaitRoute("chat-routed", "routed-cheap");
		// Brownout: first token after 500 ms, beyond the 300 ms SLO but within the provider's timeout.
		this.simulator.control().setProfile("routed-cheap-model", ModelProfile.DEFAULT.withTtftMs(500));
		List<String> duringBrownout = awaitRoute("chat-routed", "routed-dear");
		assertThat(duringBrownout).as("it took the slow answers it saw to move").hasSizeLessThan(15);
		// While degraded, the dear deployment takes (nearly) all the traffic; exploration probes the cheap one.
		List<String> next = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			next.add(stream("chat-routed", null).header("x-fulcrum-deployment"));
		}
		assertThat(next.stream().filter("routed-dear"::equals).count()).isGreaterThanOrEqualTo(6);
		// Recovery: exploration sees fast answers again and the cheap deployment wins back the traffic.
		this.simulator.control().setProfile("routed-cheap-model", ModelProfile.DEFAULT);
		awaitRoute("chat-routed", "routed-cheap");
	}

	@Test
	void aLocalBackendsReportedQueueSendsTrafficElsewhereUntilItDrains() {
		// A request takes about 80 ms on the GPU, so 40 queued for 4 slots mean about 0.8 s of waiting.
		this.simulator.control()
			.setProfile("routed-gpu-model", ModelProfile.DEFAULT.withTtftMs(50).withTokensPerSecond(100));
		awaitRoute("chat-local", "routed-gpu");
		this.simulator.control().reportLoad(4, 40, 0.5);
		awaitRoute("chat-local", "routed-dear");
		assertThat(stream("chat-local", null).header("x-fulcrum-route")).contains("routed-gpu p=")
			.contains("below-target");
		this.simulator.control().reportLoad(1, 0, 0.1);
		awaitRoute("chat-local", "routed-gpu");
	}

	@Test
	void aProvidersRateLimitHeadersKeepTrafficAwayUntilTheWindowResets() {
		awaitRoute("chat-routed", "routed-cheap");
		// Every call to the cheap deployment is refused with 429 and x-ratelimit-remaining-requests: 0 (reset 1 s).
		this.simulator.control().setProfile("routed-cheap-model", ModelProfile.DEFAULT.withRateLimitRate(1.0));
		// Once a request has met the 429 (exploration may send the first ones elsewhere), the next ones see the
		// cheap deployment as rate limited and go straight to the other.
		Answer next = null;
		for (int i = 0; i < 20 && (next == null || !next.header("x-fulcrum-route").contains("rate-limited")); i++) {
			next = stream("chat-routed", null);
			assertThat(next.status()).isEqualTo(200);
		}
		assertThat(next.header("x-fulcrum-route")).contains("routed-cheap p=").contains("rate-limited");
		assertThat(next.header("x-fulcrum-deployment")).isEqualTo("routed-dear");
		this.simulator.control().setProfile("routed-cheap-model", ModelProfile.DEFAULT);
		awaitRoute("chat-routed", "routed-cheap");
	}

	@Test
	void shedsBatchWorkNoDeploymentCanServeWithinItsSlo() {
		assertThat(send("chat-local", "ttft=10s", "batch").status()).as("batch work that can be served is").isEqualTo(200);
		// No deployment answers within a microsecond.
		Answer shed = send("chat-local", "ttft=1us", "batch");
		assertThat(shed.status()).isEqualTo(503);
		assertThat(shed.header(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(shed.json().at("/error/code").asString()).isEqualTo("request_shed");
		// The same SLO for interactive work is served by the most likely deployment instead.
		assertThat(send("chat-local", "ttft=1us", "interactive").status()).isEqualTo(200);
	}

	@Test
	void refusesMalformedRoutingHeaders() {
		Answer badSlo = send("chat-routed", "ttft=soon", null);
		assertThat(badSlo.status()).isEqualTo(400);
		JsonNode error = badSlo.json().get("error");
		assertThat(error.get("code").asString()).isEqualTo("invalid_slo");
		assertThat(error.get("message").asString()).contains("'soon' is not a duration");
		Answer badPriority = send("chat-routed", null, "urgent");
		assertThat(badPriority.status()).isEqualTo(400);
		assertThat(badPriority.json().at("/error/code").asString()).isEqualTo("invalid_priority");
	}

	@Test
	void appliesPoliciesChangedThroughTheAdminApiWithoutARestart() {
		PolicyDocument original = this.router.policies();
		try {
			String latencyFirst = "chat-routed: { objective: latency-first, exploration: 0 }\n";
			Answer applied = admin(HttpMethod.PUT, latencyFirst);
			assertThat(applied.status()).isEqualTo(200);
			assertThat(applied.json().at("/aliases/chat-routed/objective").asString()).isEqualTo("latency-first");
			Answer refused = admin(HttpMethod.PUT, "chat-routed: { objective: fastest }\n");
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.json().at("/error/problems/0").asString())
				.isEqualTo("chat-routed.objective: 'fastest' is not an objective (cost-under-slo, latency-first, "
						+ "weighted)");
			assertThat(this.router.policies().source()).isEqualTo(latencyFirst);
		}
		finally {
			this.router.apply(original);
		}
	}

	/** Sends streamed requests until {@code deployment} serves three in a row; returns who served each. */
	private List<String> awaitRoute(String alias, String deployment) {
		List<String> served = new ArrayList<>();
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		int inARow = 0;
		while (inARow < 3) {
			assertThat(System.nanoTime() - deadline).as("%s never routed to %s; served: %s", alias, deployment, served)
				.isNegative();
			Answer answer = stream(alias, null);
			assertThat(answer.status()).as(answer.text()).isEqualTo(200);
			String by = answer.header("x-fulcrum-deployment");
			served.add(by);
			inARow = deployment.equals(by) ? inARow + 1 : 0;
			pause();
		}
		return served;
	}

	private Answer stream(String alias, String slo) {
		return send(alias, slo, null);
	}

	private Answer send(String alias, String slo, String priority) {
		var spec = this.client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY)
			.contentType(MediaType.APPLICATION_JSON);
		if (slo != null) {
			spec.header("x-fulcrum-slo", slo);
		}
		if (priority != null) {
			spec.header("x-fulcrum-priority", priority);
		}
		return Answer.of(spec.bodyValue("{\"model\":\"" + alias + "\",\"stream\":true,\"max_tokens\":4,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}").exchange().expectBody(byte[].class)
			.returnResult());
	}

	private Answer admin(HttpMethod method, String yaml) {
		return Answer.of(this.client.method(method)
			.uri("/admin/api/policies")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
			.contentType(MediaType.parseMediaType("application/yaml"))
			.bodyValue(yaml)
			.exchange()
			.expectBody(byte[].class)
			.returnResult());
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
