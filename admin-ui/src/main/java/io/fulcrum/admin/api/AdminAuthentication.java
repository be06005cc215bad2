package io.fulcrum.admin.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Lets through only requests bearing the admin token. Both sides are hashed before the constant-time comparison, so
 * that neither the content nor the length of the token leaks through timing.
 */
final class AdminAuthentication implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private static final String BEARER = "Bearer ";

	private final byte[] expectedDigest;

	AdminAuthentication(String adminToken) {
		if (adminToken.isBlank()) {
			throw new IllegalArgumentException("the admin token must not be blank");
		}
		this.expectedDigest = sha256(adminToken);
	}

	@Override
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		String token = bearerToken(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
		if (token == null || !MessageDigest.isEqual(sha256(token), this.expectedDigest)) {
			return Mono.error(ApiProblem.unauthenticated());
		}
		return next.handle(request);
	}

	private static @Nullable String bearerToken(@Nullable String authorization) {
		if (authorization == null || authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		return authorization.substring(BEARER.length()).strip();
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

}
