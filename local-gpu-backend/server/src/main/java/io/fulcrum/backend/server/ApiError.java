package io.fulcrum.backend.server;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;

/**
 * A request the server refuses, answered in OpenAI's error shape
 * ({@code {"error":{"message","type","param","code"}}}) with its HTTP status.
 */
final class ApiError extends RuntimeException {

	private final HttpResponseStatus status;

	private final String type;

	private final String code;

	private final @Nullable String param;

	private final long retryAfterSeconds;

	private ApiError(HttpResponseStatus status, String type, String code, @Nullable String param, String message,
			long retryAfterSeconds) {
		super(message, null, false, false);
		this.status = status;
		this.type = type;
		this.code = code;
		this.param = param;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	static ApiError invalid(@Nullable String param, String code, String message) {
		return new ApiError(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", code, param, message, 0);
	}

	static ApiError modelNotFound(String model, String served) {
		return new ApiError(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
				"The model '" + model + "' does not exist on this server; it serves '" + served + "'.", 0);
	}

	static ApiError noGenerativeModel(String embeddingModel) {
		return new ApiError(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
				"This server serves no text-generation model, only the embedding model '" + embeddingModel
						+ "'; start it with --generation-model=<file.gguf> to serve completions.",
				0);
	}

	static ApiError unauthorized() {
		return new ApiError(HttpResponseStatus.UNAUTHORIZED, "authentication_error", "invalid_api_key", null,
				"Missing or invalid API key: send 'Authorization: Bearer <key>'.", 0);
	}

	static ApiError tooLarge(long limit) {
		return new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error", "request_too_large",
				null, "The request body is larger than " + limit + " bytes.", 0);
	}

	static ApiError overloaded(String message, long retryAfterMillis) {
		return new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", "queue_full", null,
				message + "; retry later", Math.max(1, (retryAfterMillis + 999) / 1000));
	}

	static ApiError unavailable(String message) {
		return new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", "unavailable", null, message, 1);
	}

	static ApiError notFound(String path) {
		return new ApiError(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "not_found", null,
				"Unknown path " + path + ": this server answers POST /v1/embeddings, POST /v1/chat/completions,"
						+ " POST /v1/completions, GET /v1/models, /health, /metrics.",
				0);
	}

	static ApiError methodNotAllowed(String method, String path) {
		return new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", "method_not_allowed", null,
				method + " is not allowed on " + path + ".", 0);
	}

	static ApiError internal() {
		return new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server_error", "internal_error", null,
				"The server failed to process the request; it has been logged.", 0);
	}

	HttpResponseStatus status() {
		return this.status;
	}

	String type() {
		return this.type;
	}

	String code() {
		return this.code;
	}

	@Nullable String param() {
		return this.param;
	}

	/** Seconds for a {@code Retry-After} header; 0 for none. */
	long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
