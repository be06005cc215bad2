package io.fulcrum.gateway.error;

import java.time.Duration;

import io.fulcrum.gateway.metrics.GatewayMetrics;
import io.fulcrum.gateway.ratelimit.RateLimitExceededException;
import io.fulcrum.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.WebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Renders every error as JSON in OpenAI's shape, or Anthropic's on {@code /v1/messages}, so the gateway never
 * answers with a stack trace or an HTML page. Unexpected exceptions become a 500 whose message names only the
 * request id; their details go to the log.
 */
public final class FulcrumErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Logger log = LoggerFactory.getLogger(FulcrumErrorWebExceptionHandler.class);

	private final GatewayMetrics metrics;

	public FulcrumErrorWebExceptionHandler(GatewayMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		String requestId = exchange.getResponse().getHeaders().getFirst("x-request-id");
		if (isClientGone(ex)) {
			// The client hung up; there is no one to answer. Its attempt was already metered as cancelled.
			log.debug("request {}: client disconnected", requestId);
			return Mono.empty();
		}
		GatewayException error = toGatewayException(ex, requestId);
		if (error.kind() == ErrorKind.INTERNAL) {
			log.error("request {} failed", requestId, ex);
		}
		else if (error.kind().isServerSide()) {
			log.warn("request {} failed: {}", requestId, error.getMessage());
		}
		else {
			log.debug("request {} refused: {}", requestId, error.getMessage());
		}
		this.metrics.error(error.kind().status(), error.kind().type());
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		response.setStatusCode(HttpStatus.valueOf(error.kind().status()));
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		if (error instanceof RateLimitExceededException limited && limited.status() != null) {
			limited.status().writeTo(response.getHeaders());
		}
		Duration retryAfter = error.retryAfter();
		if (retryAfter != null) {
			response.getHeaders().set("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
		}
		boolean anthropic = exchange.getRequest().getPath().value().equals("/v1/messages");
		ObjectNode body = anthropic ? ErrorBodies.anthropic(error.kind(), error.getMessage())
				: ErrorBodies.openAi(error);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(Json.bytes(body))));
	}

	private static boolean isClientGone(Throwable ex) {
		return ex instanceof reactor.netty.channel.AbortedException
				|| (ex instanceof java.io.IOException && ex.getMessage() != null
						&& ex.getMessage().contains("Connection reset by peer"));
	}

	static GatewayException toGatewayException(Throwable ex, String requestId) {
		if (ex instanceof GatewayException gateway) {
			return gateway;
		}
		if (ex instanceof DataBufferLimitException) {
			return new GatewayException(ErrorKind.PAYLOAD_TOO_LARGE, "The request body is too large.", null,
					"request_too_large", null);
		}
		if (ex instanceof MethodNotAllowedException) {
			return new GatewayException(ErrorKind.METHOD_NOT_ALLOWED, "This method is not allowed on this path.",
					null, "method_not_allowed", null);
		}
		if (ex instanceof UnsupportedMediaTypeStatusException) {
			return new GatewayException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Unsupported Content-Type.", null,
					"unsupported_media_type", null);
		}
		if (ex instanceof ResponseStatusException status) {
			int code = status.getStatusCode().value();
			if (code == 404) {
				return new GatewayException(ErrorKind.NOT_FOUND, "Unknown path. Fulcrum serves /v1/chat/completions, "
						+ "/v1/embeddings, /v1/models and /v1/messages.", null, "unknown_url", null);
			}
			if (code >= 400 && code < 500) {
				return new GatewayException(ErrorKind.INVALID_REQUEST,
						status.getReason() != null ? status.getReason() : "Bad request.", null, null, null);
			}
		}
		return new GatewayException(ErrorKind.INTERNAL,
				"The gateway hit an internal error; quote request id " + requestId + " when reporting it.", null,
				"internal_error", null);
	}

	@Override
	public int getOrder() {
		// Ahead of Spring Boot's default handler, which would render Boot's own error shape.
		return -2;
	}

}
