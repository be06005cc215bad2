package io.fulcrum.simulator;

import java.time.Duration;
import java.time.Instant;

import io.fulcrum.simulator.wire.ApiError;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.ErrorKind;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes whole JSON answers: bodies, errors in a provider's shape, and injected faults with their headers.
 */
final class Responses {

	private static final AsciiString ONE = AsciiString.cached("1");

	private static final AsciiString ZERO = AsciiString.cached("0");

	private static final AsciiString ONE_SECOND = AsciiString.cached("1s");

	private Responses() {
	}

	static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, byte[] body) {
		// A Mono body lets Reactor Netty write one full response with a content-length.
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.sendByteArray(Mono.just(body))
			.then();
	}

	static Mono<Void> error(HttpServerResponse response, ErrorFormat format, ApiError error) {
		return json(response, HttpResponseStatus.valueOf(error.kind().status()), format.render(error));
	}

	/**
	 * Answers with an injected fault; a hang never answers.
	 * @param response the response to write
	 * @param format the provider's error shape
	 * @param fault the fault, not {@link Fault#NONE}
	 * @param outageUntil when the outage ends, for {@link Fault#OUTAGE}'s {@code retry-after}
	 * @return completion of the answer
	 */
	static Mono<Void> fault(HttpServerResponse response, ErrorFormat format, Fault fault,
			@Nullable Instant outageUntil) {
		switch (fault) {
			case OUTAGE -> {
				long seconds = (outageUntil != null)
						? Math.max(1, Duration.between(Instant.now(), outageUntil).toSeconds() + 1) : 1;
				response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
				return standard(response, format, ErrorKind.OVERLOADED);
			}
			case RATE_LIMITED -> {
				response.header(HttpHeaderNames.RETRY_AFTER, ONE)
					.header("x-ratelimit-limit-requests", "60")
					.header("x-ratelimit-remaining-requests", ZERO)
					.header("x-ratelimit-reset-requests", ONE_SECOND)
					.header("x-ratelimit-limit-tokens", "100000")
					.header("x-ratelimit-remaining-tokens", ZERO)
					.header("x-ratelimit-reset-tokens", ONE_SECOND);
				return standard(response, format, ErrorKind.RATE_LIMITED);
			}
			case SERVER_ERROR -> {
				return standard(response, format, ErrorKind.SERVER_ERROR);
			}
			case HANG -> {
				// Never answers; Reactor Netty disposes of it when the client gives up and closes the connection.
				return Mono.never();
			}
			default -> throw new IllegalArgumentException("not a fault: " + fault);
		}
	}

	private static Mono<Void> standard(HttpServerResponse response, ErrorFormat format, ErrorKind kind) {
		return json(response, HttpResponseStatus.valueOf(kind.status()), format.standard(kind));
	}

}
