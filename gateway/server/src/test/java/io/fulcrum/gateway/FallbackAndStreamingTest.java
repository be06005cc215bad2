package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.metering.TokenCounter;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ModelProfile;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FallbackAndStreamingTest extends GatewayTestSupport {

	@Test
	void fallsBackWhenTheFirstDeploymentReturns500AndBillsOnlyTheServingAttempt() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		EntityExchangeResult<byte[]> result = post("/v1/chat/completions", chat("chat-default", false, ""))
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "backup")
			.expectBody()
			.returnResult();
		// one try plus the configured retry on primary, then backup
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(2);
		assertThat(this.simulator.control().requests("backup-model")).isEqualTo(1);
		List<UsageRecord> records = usage(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(records).extracting(UsageRecord::attempt).containsExactly(1, 2, 3);
		assertThat(records).extracting(UsageRecord::status)
			.containsExactly(UsageStatus.FAILED_ATTEMPT, UsageStatus.FAILED_ATTEMPT, UsageStatus.SUCCESS);
		assertThat(records.subList(0, 2)).allSatisfy(r -> {
			assertThat(r.deploymentId()).isEqualTo("primary");
			assertThat(r.providerCost()).isEqualByComparingTo(BigDecimal.ZERO);
			assertThat(r.customerPrice()).isEqualByComparingTo(BigDecimal.ZERO);
		});
		assertThat(records.get(2).deploymentId()).isEqualTo("backup");
		assertThat(records.get(2).providerCost()).isPositive();
	}

	@Test
	void fallsBackWithoutRetryingWhenTheFirstDeploymentIsRateLimited() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withRateLimitRate(1.0));
		post("/v1/chat/completions", chat("chat-default", true, "")).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "backup");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
	}

	@Test
	void fallsBackWhenTheFirstDeploymentSendsNothingBeforeItsFirstTokenTimeout() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withHang(true));
		long start = System.nanoTime();
		String body = post("/v1/chat/completions", chat("chat-default", true, "")).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "backup")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("[DONE]");
		// 700 ms first-token limit, tried twice on primary, then backup at once
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void opensTheCircuitAfterRepeatedFailuresAndStopsCallingTheDeployment() {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		for (int i = 0; i < 6; i++) {
			post("/v1/chat/completions", chat("chat-default", false, "")).expectStatus().isOk();
		}
		assertThat(this.breakers.circuitBreaker("primary").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		long callsWhenOpened = this.simulator.control().requests("primary-model");
		post("/v1/chat/completions", chat("chat-default", false, "")).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("x-fulcrum-deployment", "backup");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(callsWhenOpened);
	}

	@Test
	void streamThatBreaksMidwayEndsWithAnErrorEventIsNotRetriedAndIsBilledForWhatWasSent() {
		this.simulator.control()
			.setProfile("primary-model", ModelProfile.DEFAULT.withDefaultOutputTokens(10).withFailAfterChunks(3));
		EntityExchangeResult<String> result = post("/v1/chat/completions",
				chat("chat-default", true, "").replace("\"max_tokens\":5", "\"max_tokens\":10"))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		List<String> events = ChatCompletionsTest.dataLines(result.getResponseBody());
		assertThat(events).doesNotContain("[DONE]");
		assertThat(Json.parse(events.get(events.size() - 1)).path("error").path("code").asString())
			.isEqualTo("stream_interrupted");
		StringBuilder sent = new StringBuilder();
		events.stream()
			.filter(e -> e.contains("\"content\":\" "))
			.forEach(e -> sent.append(Json.parse(e).path("choices").get(0).path("delta").path("content").asString()));
		// the upstream aborts after 3 chunks; what was in flight when it closed may be lost with the connection
		assertThat(sent.toString().trim().split(" ")).hasSizeBetween(1, 3);
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
		assertThat(this.simulator.control().requests("backup-model")).isZero();
		List<UsageRecord> records = usage(result.getResponseHeaders().getFirst("x-request-id"));
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.status()).isEqualTo(UsageStatus.STREAM_ERROR);
			assertThat(record.usage().estimated()).isTrue();
			// counted with the same tokenizer the gateway uses for streams without usage
			assertThat(record.usage().outputTokens()).isEqualTo((long) new TokenCounter().count(sent.toString()));
			assertThat(record.providerCost()).isPositive();
		});
	}

	@Test
	void clientThatHangsUpMidStreamCancelsTheUpstreamCallAndIsMeteredForWhatWasProduced() {
		this.simulator.control()
			.setProfile("primary-model",
					ModelProfile.DEFAULT.withDefaultOutputTokens(200).withTokensPerSecond(50));
		AtomicReference<String> requestId = new AtomicReference<>();
		List<String> received = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/v1/chat/completions")
			.header("Authorization", "Bearer " + KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat("chat-default", true, "").replace("\"max_tokens\":5", "\"max_tokens\":200"))
			.exchangeToFlux(response -> {
				requestId.set(response.headers().asHttpHeaders().getFirst("x-request-id"));
				return response.bodyToFlux(String.class);
			})
			.take(4)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(received).hasSize(4);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.simulator.control().cancelledStreams()).isEqualTo(1));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<UsageRecord> records = usage(requestId.get());
			assertThat(records).singleElement().satisfies(record -> {
				assertThat(record.status()).isEqualTo(UsageStatus.CLIENT_CANCELLED);
				assertThat(record.usage().estimated()).isTrue();
				assertThat(record.usage().outputTokens()).isBetween(1L, 199L);
				assertThat(record.providerCost()).isPositive();
			});
		});
		// Nothing more was generated upstream after the hang-up.
		assertThat(this.simulator.control().completedStreams()).isZero();
	}

}
