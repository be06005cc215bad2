package io.fulcrum.gateway;

import java.time.Duration;

import io.fulcrum.gateway.ratelimit.LimitBook;
import io.fulcrum.gateway.ratelimit.RateLimiter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits in the running gateway ({@code it} profile: alias {@code chat-limited} may use 5,000 tokens a minute;
 * its first deployment, {@code limited-primary}, takes 2 requests a minute; {@code queued-only}, the only deployment
 * of {@code chat-queued}, 12).
 */
class RateLimitsTest extends RunningGatewayTest {

	@Autowired
	RateLimiter limiter;

	@Test
	void limitsAreReportedInOpenAisHeadersAndADeploymentAtItsLimitFallsBack() {
		Answer first = post("/v1/chat/completions", KEY, body(16));
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("x-ratelimit-limit-tokens")).isEqualTo("5000");
		assertThat(Long.parseLong(first.header("x-ratelimit-remaining-tokens"))).isBetween(4900L, 4990L);
		assertThat(first.header("x-ratelimit-reset-tokens")).matches("\\d+ms");
		assertThat(first.header("x-ratelimit-limit-requests")).as("no request limit applies").isNull();

		assertThat(post("/v1/chat/completions", KEY, body(16)).header("x-fulcrum-deployment"))
			.isEqualTo("limited-primary");
		// limited-primary allows 2 requests a minute: the third goes to the next deployment, without a provider call.
		Answer third = post("/v1/chat/completions", KEY, body(16));
		assertThat(third.status()).isEqualTo(200);
		assertThat(third.header("x-fulcrum-deployment")).isEqualTo("limited-backup");
		assertThat(this.simulator.control().requests("limited-primary-model")).isEqualTo(2);
	}

	@Test
	void aRequestThatCanNeverFitTheTokenLimitIsA429SayingWhy() {
		Answer refused = post("/v1/chat/completions", KEY, body(6000));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isNotNull();
		assertThat(refused.json().at("/error/type").asString()).isEqualTo("rate_limit_error");
		assertThat(refused.json().at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(refused.json().at("/error/message").asString())
			.contains("more than model 'chat-limited' may use in a minute (5000)");
	}

	@Test
	void limitsChangedThroughTheAdminApiApplyAtOnce() {
		LimitBook original = this.limiter.book();
		try {
			Answer set = send(org.springframework.http.HttpMethod.PUT, "/admin/api/limits", ADMIN_TOKEN,
					"{\"models\":{\"claude-only\":{\"requests_per_minute\":1}}}");
			assertThat(set.status()).isEqualTo(200);
			assertThat(post("/v1/chat/completions", KEY, chat("claude-only")).status()).isEqualTo(200);
			Answer refused = post("/v1/chat/completions", KEY, chat("claude-only"));
			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.json().at("/error/message").asString())
				.startsWith("Rate limit reached for model 'claude-only': 1 requests per minute.");
			assertThat(refused.header("x-ratelimit-limit-requests")).isEqualTo("1");
		}
		finally {
			this.limiter.book(original);
		}
	}

	@Test
	void batchWorkWaitsInLineAtADeploymentsLimitWhileInteractiveWorkGoesFirst() {
		// queued-only takes 12 requests a minute (one more every 5 s); batch work leaves the last 20% (2) to
		// interactive work.
		for (int i = 0; i < 10; i++) {
			assertThat(batch().status()).as("batch request " + (i + 1)).isEqualTo(200);
		}
		long started = System.nanoTime();
		assertThat(post("/v1/chat/completions", KEY, chat("chat-queued")).status()).as("interactive, at once")
			.isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		// The next batch request waits for the bucket to refill (up to batch-max-wait, 15 s) instead of failing.
		started = System.nanoTime();
		Answer waited = batch();
		assertThat(waited.status()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(5));
	}

	private Answer batch() {
		return Answer.of(this.client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + KEY)
			.header("x-fulcrum-priority", "batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat("chat-queued"))
			.exchange()
			.expectBody(byte[].class)
			.returnResult());
	}

	private static String body(int maxTokens) {
		return "{\"model\":\"chat-limited\",\"max_tokens\":" + maxTokens
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
	}

}
