package io.fulcrum.simulator.wire;

import org.jspecify.annotations.Nullable;

/**
 * A request body that parsed as JSON but is not a valid request; answered with a 400 naming the field.
 */
public final class InvalidRequestException extends RuntimeException {

	private final @Nullable String param;

	public InvalidRequestException(String message, @Nullable String param) {
		// No stack trace: this is an expected answer, not a bug, and benchmarks may send many.
		super(message, null, false, false);
		this.param = param;
	}

	public @Nullable String param() {
		return this.param;
	}

	public ApiError toApiError() {
		return new ApiError(ErrorKind.INVALID_REQUEST, getMessage(), this.param);
	}

}
