package io.fulcrum.simulator.wire;

import org.jspecify.annotations.Nullable;

/**
 * Every error the simulator answers with, with its HTTP status and the names each provider gives it, so both
 * error shapes are decided in one place.
 */
public enum ErrorKind {

	INVALID_REQUEST(400, "invalid_request_error", null, "invalid_request_error", "Invalid request."),
	UNAUTHENTICATED(401, "invalid_request_error", "invalid_api_key", "authentication_error",
			"Incorrect API key provided."),
	NOT_FOUND(404, "invalid_request_error", "not_found", "not_found_error", "Not found."),
	METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", "invalid_request_error",
			"Method not allowed."),
	// OpenAI names the exhausted limit ("requests" or "tokens") as the type of a 429.
	RATE_LIMITED(429, "requests", "rate_limit_exceeded", "rate_limit_error",
			"Rate limit reached for requests (simulated)."),
	SERVER_ERROR(500, "server_error", null, "api_error",
			"The server had an error while processing your request (simulated)."),
	OVERLOADED(503, "server_error", null, "overloaded_error",
			"The engine is currently overloaded, please try again later (simulated outage).");

	private final int status;

	private final String openAiType;

	private final @Nullable String openAiCode;

	private final String anthropicType;

	private final String defaultMessage;

	ErrorKind(int status, String openAiType, @Nullable String openAiCode, String anthropicType,
			String defaultMessage) {
		this.status = status;
		this.openAiType = openAiType;
		this.openAiCode = openAiCode;
		this.anthropicType = anthropicType;
		this.defaultMessage = defaultMessage;
	}

	public int status() {
		return this.status;
	}

	/** The {@code error.type} of OpenAI's error shape. */
	public String openAiType() {
		return this.openAiType;
	}

	/** The {@code error.code} of OpenAI's error shape, {@code null} where OpenAI sends none. */
	public @Nullable String openAiCode() {
		return this.openAiCode;
	}

	/** The {@code error.type} of Anthropic's error shape. */
	public String anthropicType() {
		return this.anthropicType;
	}

	/** The message of the errors the simulator injects, which have nothing request-specific to say. */
	public String defaultMessage() {
		return this.defaultMessage;
	}

}
