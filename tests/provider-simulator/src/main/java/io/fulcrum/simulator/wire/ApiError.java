package io.fulcrum.simulator.wire;

import org.jspecify.annotations.Nullable;

/**
 * One error answer, before it is rendered in a provider's shape.
 *
 * @param kind the kind, which fixes the status and error type
 * @param message the human-readable message
 * @param param the request field at fault (OpenAI's {@code error.param}), or {@code null}
 */
public record ApiError(ErrorKind kind, String message, @Nullable String param) {

	public static ApiError of(ErrorKind kind) {
		return new ApiError(kind, kind.defaultMessage(), null);
	}

	public static ApiError of(ErrorKind kind, String message) {
		return new ApiError(kind, message, null);
	}

}
