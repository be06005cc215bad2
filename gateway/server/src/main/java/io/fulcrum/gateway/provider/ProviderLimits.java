package io.fulcrum.gateway.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * What a provider says is left of its rate limits, from response headers: OpenAI's
 * {@code x-ratelimit-remaining-requests|tokens} with {@code x-ratelimit-reset-requests|tokens} durations such as
 * {@code 6m0s} or {@code 20ms}, or Anthropic's {@code anthropic-ratelimit-requests|tokens-remaining} with
 * {@code ...-reset} timestamps (RFC 3339). A count of -1 means the provider did not say.
 *
 * @param remainingRequests requests left in the current window
 * @param remainingTokens tokens left in the current window
 * @param resetRequests time until the request window resets
 * @param resetTokens time until the token window resets
 */
public record ProviderLimits(long remainingRequests, long remainingTokens, Duration resetRequests,
		Duration resetTokens) {

	private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

	/** The limits in {@code headers}, or {@code null} when they name none. */
	public static @Nullable ProviderLimits from(HttpHeaders headers, Instant now) {
		long requests = count(headers.get("x-ratelimit-remaining-requests"));
		long tokens = count(headers.get("x-ratelimit-remaining-tokens"));
		if (requests >= 0 || tokens >= 0) {
			return new ProviderLimits(requests, tokens, duration(headers.get("x-ratelimit-reset-requests")),
					duration(headers.get("x-ratelimit-reset-tokens")));
		}
		requests = count(headers.get("anthropic-ratelimit-requests-remaining"));
		tokens = count(headers.get("anthropic-ratelimit-tokens-remaining"));
		if (requests >= 0 || tokens >= 0) {
			return new ProviderLimits(requests, tokens, until(headers.get("anthropic-ratelimit-requests-reset"), now),
					until(headers.get("anthropic-ratelimit-tokens-reset"), now));
		}
		return null;
	}

	private static long count(@Nullable String value) {
		if (value == null) {
			return -1;
		}
		try {
			return Math.max(0, Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** OpenAI's reset durations: {@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}. */
	static Duration duration(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Duration.ZERO;
		}
		Matcher part = DURATION_PART.matcher(value.trim());
		double millis = 0;
		while (part.find()) {
			double amount = Double.parseDouble(part.group(1));
			millis += switch (part.group(2)) {
				case "h" -> amount * 3_600_000;
				case "m" -> amount * 60_000;
				case "s" -> amount * 1000;
				default -> amount;
			};
		}
		return Duration.ofMillis((long) Math.ceil(millis));
	}

	private static Duration until(@Nullable String timestamp, Instant now) {
		if (timestamp == null) {
			return Duration.ZERO;
		}
		try {
			Duration left = Duration.between(now, Instant.parse(timestamp.trim()));
			return left.isNegative() ? Duration.ZERO : left;
		}
		catch (DateTimeParseException ex) {
			return Duration.ZERO;
		}
	}

	/** Told what each response said about its deployment's rate limits; must not block. */
	@FunctionalInterface
	public interface Listener {

		/** Ignores them. */
		Listener NONE = (deploymentId, limits) -> {
		};

		void observed(String deploymentId, ProviderLimits limits);

	}

}
