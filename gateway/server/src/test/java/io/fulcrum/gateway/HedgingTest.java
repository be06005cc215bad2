package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.simulator.ModelProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hedged requests against the provider simulator. Alias {@code chat-hedged} (profile {@code it}) routes to the
 * cheap {@code hedged-cheap} and always plans a hedge on {@code hedged-dear}; from the deployments' priors the hedge
 * starts about 0.7 s after a stream's first attempt (TTFT SLO 1 s) and 1.2 s after an unstreamed one's (e2e SLO
 * 1.5 s).
 */
class HedgingTest extends GatewayTestSupport {

	@Autowired
	MeterRegistry meters;

	private static final Duration STREAM_SLO = Duration.ofSeconds(1);

	private static final Duration WHOLE_ANSWER_SLO = Duration.ofMillis(1500);

	/**
	 * Both deployments' paths warmed (the cheap one fails, so its hedge starts at once), so that a cold start does
	 * not count against the SLO; then the counters and the router start afresh.
	 */
	@BeforeEach
	void warmUp() {
		this.simulator.control().setProfile("hedged-cheap-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		post("/v1/chat/completions", chat("chat-hedged", true, "")).expectStatus().isOk();
		post("/v1/chat/completions", chat("chat-hedged", false, "")).expectStatus().isOk();
		resetUpstreams();
	}

	@Test
	void aSlowStreamIsAnsweredByItsHedgeWithinTheSloAndOnlyTheHedgeIsBilled() {
		this.simulator.control().setProfile("hedged-cheap-model", ModelProfile.DEFAULT.withTtftMs(4000));
		long start = System.nanoTime();
		EntityExchangeResult<String> result = post("/v1/chat/completions", chat("chat-hedged", true, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "hedged-dear")
			.expectBody(String.class)
			.returnResult();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(STREAM_SLO);
		assertThat(result.getResponseBody()).contains("[DONE]");
		assertThat(result.getResponseHeaders().getFirst("x-fulcrum-route"))
			.startsWith("chose=hedged-cheap; hedge=hedged-dear after=");
		// The loser's upstream stream was cancelled, not left to run.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.simulator.control().cancelledStreams()).isEqualTo(1));
		assertOneBilledRecordFromTheHedge(result.getResponseHeaders().getFirst("x-request-id"));
		// The cancelled first attempt taught the router that its first token takes at least as long as it waited,
		// and its in-flight count is back to zero.
		LatencyPrior prior = new LatencyPrior(0.15, 500);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			DeploymentStats cheap = this.router.stats("hedged-cheap");
			assertThat(cheap.estimate(20, System.nanoTime(), prior).ttft().median()).isGreaterThan(0.2);
			assertThat(cheap.inFlight()).isZero();
		});
	}

	@Test
	void aSlowWholeAnswerIsAnsweredByItsHedgeWithinTheSloAndOnlyTheHedgeIsBilled() {
		this.simulator.control().setProfile("hedged-cheap-model", ModelProfile.DEFAULT.withTtftMs(4000));
		double sentBefore = hedges("sent");
		double wonBefore = hedges("won");
		long start = System.nanoTime();
		EntityExchangeResult<String> result = post("/v1/chat/completions", chat("chat-hedged", false, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "hedged-dear")
			.expectBody(String.class)
			.returnResult();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WHOLE_ANSWER_SLO);
		assertThat(result.getResponseBody()).contains("chat.completion");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.simulator.control().cancelledAnswers()).isEqualTo(1));
		assertOneBilledRecordFromTheHedge(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(hedges("won") - wonBefore).isEqualTo(1);
		assertThat(hedges("sent") - sentBefore).isEqualTo(1);
	}

	@Test
	void noHedgeIsSentWhenTheFirstAttemptAnswersBeforeTheDelay() throws InterruptedException {
		EntityExchangeResult<String> result = post("/v1/chat/completions", chat("chat-hedged", true, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "hedged-cheap")
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getResponseHeaders().getFirst("x-fulcrum-route")).contains("hedge=hedged-dear");
		// Past the hedge's delay: it was never sent.
		Thread.sleep(STREAM_SLO.toMillis());
		assertThat(this.simulator.control().requests("hedged-dear-model")).isZero();
		List<UsageRecord> records = usage(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.deploymentId()).isEqualTo("hedged-cheap");
			assertThat(record.status()).isEqualTo(UsageStatus.SUCCESS);
			assertThat(record.customerPrice()).isPositive();
		});
	}

	/** The {@code fulcrum.hedges} count of the alias's hedges to hedged-dear with that outcome. */
	private double hedges(String outcome) {
		Counter counter = this.meters.find("fulcrum.hedges")
			.tags("gen_ai.request.model", "chat-hedged", "fulcrum.deployment", "hedged-dear", "outcome", outcome)
			.counter();
		return counter == null ? 0 : counter.count();
	}

	/** The winning hedge is the one billed record; the cancelled first attempt costs us its prompt, not the customer. */
	private void assertOneBilledRecordFromTheHedge(String requestId) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(usage(requestId)).hasSize(2));
		List<UsageRecord> records = usage(requestId);
		assertThat(records).filteredOn(record -> record.customerPrice().signum() > 0)
			.singleElement()
			.satisfies(record -> {
				assertThat(record.deploymentId()).isEqualTo("hedged-dear");
				assertThat(record.status()).isEqualTo(UsageStatus.SUCCESS);
				assertThat(record.attempt()).isEqualTo(2);
			});
		assertThat(records).filteredOn(record -> record.deploymentId().equals("hedged-cheap"))
			.singleElement()
			.satisfies(record -> {
				assertThat(record.status()).isEqualTo(UsageStatus.HEDGE_LOST);
				assertThat(record.attempt()).isEqualTo(1);
				assertThat(record.customerPrice()).isEqualByComparingTo(BigDecimal.ZERO);
				assertThat(record.providerCost()).isPositive();
				assertThat(record.usage().outputTokens()).isZero();
			});
		assertThat(this.simulator.control().requests("hedged-cheap-model")).isEqualTo(1);
		assertThat(this.simulator.control().requests("hedged-dear-model")).isEqualTo(1);
	}

}
