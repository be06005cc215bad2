package io.fulcrum.gateway.error;

/**
 * Every kind of error the gateway returns. The HTTP status and OpenAI error {@code type} of each are fixed here, in
 * one place, so a new kind cannot be added without deciding them.
 */
public enum ErrorKind {

	INVALID_REQUEST(400, "invalid_request_error"),
	UNAUTHENTICATED(401, "authentication_error"),
	MODEL_NOT_ALLOWED(403, "permission_error"),
	NOT_FOUND(404, "not_found_error"),
	METHOD_NOT_ALLOWED(405, "invalid_request_error"),
	PAYLOAD_TOO_LARGE(413, "invalid_request_error"),
	UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error"),
	/**
	 * A hard budget is spent. 402, not 429: SDKs retry 429s by themselves, and retrying cannot help before the
	 * budget's period ends. The type is OpenAI's for an exhausted quota.
	 */
	BUDGET_EXCEEDED(402, "insufficient_quota"),
	RATE_LIMITED(429, "rate_limit_error"),
	INTERNAL(500, "server_error"),
	UPSTREAM_FAILED(502, "upstream_error"),
	UNAVAILABLE(503, "service_unavailable"),
	UPSTREAM_TIMEOUT(504, "timeout_error");

	private final int status;

	private final String type;

	ErrorKind(int status, String type) {
		this.status = status;
		this.type = type;
	}

	public int status() {
		return this.status;
	}

	/** The {@code error.type} of OpenAI's error shape. */
	public String type() {
		return this.type;
	}

	/** The {@code type} of Anthropic's error shape for the same status. */
	public String anthropicType() {
		return switch (this) {
			case INVALID_REQUEST, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> "invalid_request_error";
			case UNAUTHENTICATED -> "authentication_error";
			case MODEL_NOT_ALLOWED -> "permission_error";
			case NOT_FOUND -> "not_found_error";
			case PAYLOAD_TOO_LARGE -> "request_too_large";
			case BUDGET_EXCEEDED -> "billing_error";
			case RATE_LIMITED -> "rate_limit_error";
			case INTERNAL, UPSTREAM_FAILED, UPSTREAM_TIMEOUT -> "api_error";
			case UNAVAILABLE -> "overloaded_error";
		};
	}

	/** Server-side failures are logged at warn, client mistakes at debug. */
	public boolean isServerSide() {
		return this.status >= 500;
	}

}
