package io.fulcrum.gateway.error;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An error the gateway answers with. Its message is shown to the client, so it must never contain a secret, a
 * prompt or an internal detail. Refusals (auth, limits) skip the stack trace: they are expected and frequent.
 */
public class GatewayException extends RuntimeException {

	private final ErrorKind kind;

	private final @Nullable String param;

	private final @Nullable String code;

	private final @Nullable Duration retryAfter;

	public GatewayException(ErrorKind kind, String message) {
		this(kind, message, null, null, null);
	}

	public GatewayException(ErrorKind kind, String message, @Nullable String param, @Nullable String code,
			@Nullable Duration retryAfter) {
		super(message, null, false, kind.isServerSide());
		this.kind = kind;
		this.param = param;
		this.code = code;
		this.retryAfter = retryAfter;
	}

	public static GatewayException invalid(String message, @Nullable String param) {
		return new GatewayException(ErrorKind.INVALID_REQUEST, message, param, "invalid_value", null);
	}

	public ErrorKind kind() {
		return this.kind;
	}

	public @Nullable String param() {
		return this.param;
	}

	public @Nullable String code() {
		return this.code;
	}

	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
