package io.fulcrum.gateway.ratelimit;

import java.time.Duration;

import org.springframework.http.HttpHeaders;

/**
 * What a request's most specific limits have left, for OpenAI's {@code x-ratelimit-*} response headers. A limit of
 * 0 means that dimension is not limited and its headers are left out.
 *
 * @param limitRequests requests per minute
 * @param remainingRequests requests left now
 * @param resetRequests until the request bucket is full again
 * @param limitTokens tokens per minute
 * @param remainingTokens tokens left now (after this request's reservation)
 * @param resetTokens until the token bucket is full again
 */
public record RateLimitStatus(long limitRequests, long remainingRequests, Duration resetRequests, long limitTokens,
		long remainingTokens, Duration resetTokens) {

	/** Writes the headers of the limited dimensions. */
	public void writeTo(HttpHeaders headers) {
		if (this.limitRequests > 0) {
			headers.set("x-ratelimit-limit-requests", Long.toString(this.limitRequests));
			headers.set("x-ratelimit-remaining-requests", Long.toString(this.remainingRequests));
			headers.set("x-ratelimit-reset-requests", this.resetRequests.toMillis() + "ms");
		}
		if (this.limitTokens > 0) {
			headers.set("x-ratelimit-limit-tokens", Long.toString(this.limitTokens));
			headers.set("x-ratelimit-remaining-tokens", Long.toString(this.remainingTokens));
			headers.set("x-ratelimit-reset-tokens", this.resetTokens.toMillis() + "ms");
		}
	}

}
