package io.fulcrum.gateway.provider;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A provider call that failed. {@link #failure()} tells the dispatcher what may be done about it; the message is
 * safe to show to clients (it never holds a secret).
 */
public final class ProviderException extends RuntimeException {

	/** What a failure allows. */
	public enum Failure {

		/** Transient (5xx, timeout, connection lost): retry on the same deployment, then fall back. */
		RETRYABLE,

		/** The deployment cannot serve now (429, or misconfigured: 401/403/404): fall back without retrying. */
		FALLBACK,

		/** The request itself is bad (400, 413, 422): another deployment would refuse it too, so return it. */
		CLIENT_ERROR

	}

	private final Failure failure;

	private final int status;

	private final @Nullable Duration retryAfter;

	/**
	 * @param status the upstream HTTP status, or 0 when none was received (connection failure, timeout)
	 */
	public ProviderException(Failure failure, int status, String message, @Nullable Duration retryAfter,
			@Nullable Throwable cause) {
		super(message, cause, false, false);
		this.failure = failure;
		this.status = status;
		this.retryAfter = retryAfter;
	}

	/** Classifies an upstream HTTP error status. */
	public static ProviderException forStatus(int status, String message, @Nullable Duration retryAfter) {
		Failure failure = switch (status) {
			case 400, 413, 422 -> Failure.CLIENT_ERROR;
			case 401, 403, 404, 429 -> Failure.FALLBACK;
			default -> Failure.RETRYABLE;
		};
		return new ProviderException(failure, status, message, retryAfter, null);
	}

	public static ProviderException timeout(String message) {
		return new ProviderException(Failure.RETRYABLE, 0, message, null, null);
	}

	public static ProviderException connection(String message, Throwable cause) {
		return new ProviderException(Failure.RETRYABLE, 0, message, null, cause);
	}

	public Failure failure() {
		return this.failure;
	}

	public int status() {
		return this.status;
	}

	public boolean isTimeout() {
		return this.status == 0 && getCause() == null;
	}

	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
