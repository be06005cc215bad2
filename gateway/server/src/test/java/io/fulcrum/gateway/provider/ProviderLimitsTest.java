package io.fulcrum.gateway.provider;

import java.time.Duration;
import java.time.Instant;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderLimitsTest {

	private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

	@Test
	void readsOpenAisRemainingCountsAndResetDurations() {
		DefaultHttpHeaders headers = new DefaultHttpHeaders();
		headers.set("x-ratelimit-remaining-requests", "59");
		headers.set("x-ratelimit-remaining-tokens", "149984");
		headers.set("x-ratelimit-reset-requests", "1s");
		headers.set("x-ratelimit-reset-tokens", "6m0.5s");
		assertThat(ProviderLimits.from(headers, NOW)).isEqualTo(
				new ProviderLimits(59, 149984, Duration.ofSeconds(1), Duration.ofMinutes(6).plusMillis(500)));
	}

	@Test
	void readsAnthropicsRemainingCountsAndResetTimestamps() {
		DefaultHttpHeaders headers = new DefaultHttpHeaders();
		headers.set("anthropic-ratelimit-requests-remaining", "0");
		headers.set("anthropic-ratelimit-tokens-remaining", "12000");
		headers.set("anthropic-ratelimit-requests-reset", "2026-11-28T10:00:30Z");
		headers.set("anthropic-ratelimit-tokens-reset", "2026-11-28T09:59:00Z");
		assertThat(ProviderLimits.from(headers, NOW))
			.isEqualTo(new ProviderLimits(0, 12000, Duration.ofSeconds(30), Duration.ZERO));
	}

	@Test
	void parsesEveryUnitOfOpenAisDurations() {
		assertThat(ProviderLimits.duration("20ms")).isEqualTo(Duration.ofMillis(20));
		assertThat(ProviderLimits.duration("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
		assertThat(ProviderLimits.duration("nonsense")).isEqualTo(Duration.ZERO);
	}

	@Test
	void aResponseWithoutRateLimitHeadersReportsNothing() {
		assertThat(ProviderLimits.from(new DefaultHttpHeaders().set("x-request-id", "abc"), NOW)).isNull();
	}

}
