package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.gateway.provider.ProviderException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.jspecify.annotations.Nullable;

/**
 * Every candidate deployment failed before anything reached the client. Carries each failure in the order tried;
 * the status says what the failures have in common: 429 when every deployment was rate limited, 504 when every
 * one timed out, 503 when every circuit was open or the providers were unavailable, otherwise 502.
 */
public final class AllDeploymentsFailedException extends GatewayException {

	private final Map<String, Throwable> failures;

	private AllDeploymentsFailedException(ErrorKind kind, String message, @Nullable Duration retryAfter,
			Map<String, Throwable> failures) {
		super(kind, message, null, "all_deployments_failed", retryAfter);
		this.failures = failures;
	}

	public static AllDeploymentsFailedException of(String model, Map<String, Throwable> failures) {
		StringJoiner details = new StringJoiner("; ");
		boolean allRateLimited = true;
		boolean allTimedOut = true;
		boolean allUnavailable = true;
		Duration retryAfter = null;
		for (Map.Entry<String, Throwable> entry : failures.entrySet()) {
			Throwable failure = entry.getValue();
			details.add("deployment '" + entry.getKey() + "': " + describe(failure));
			int status = failure instanceof ProviderException provider ? provider.status() : -1;
			boolean timedOut = failure instanceof ProviderException provider && provider.isTimeout();
			allRateLimited &= status == 429;
			allTimedOut &= timedOut;
			allUnavailable &= failure instanceof CallNotPermittedException || status == 503;
			if (failure instanceof ProviderException provider && provider.retryAfter() != null
					&& (retryAfter == null || provider.retryAfter().compareTo(retryAfter) < 0)) {
				retryAfter = provider.retryAfter();
			}
		}
		ErrorKind kind = failures.isEmpty() ? ErrorKind.UNAVAILABLE
				: allRateLimited ? ErrorKind.RATE_LIMITED : allTimedOut ? ErrorKind.UPSTREAM_TIMEOUT
						: allUnavailable ? ErrorKind.UNAVAILABLE : ErrorKind.UPSTREAM_FAILED;
		if (kind == ErrorKind.RATE_LIMITED && retryAfter == null) {
			retryAfter = Duration.ofSeconds(1);
		}
		String message = "All deployments for model '" + model + "' failed: " + details;
		return new AllDeploymentsFailedException(kind, message, retryAfter,
				java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures)));
	}

	private static String describe(Throwable failure) {
		if (failure instanceof CallNotPermittedException) {
			return "circuit open";
		}
		if (failure instanceof ProviderException) {
			return failure.getMessage();
		}
		return "internal error (" + failure.getClass().getSimpleName() + ")";
	}

	/** Each deployment tried and how it failed, in order. */
	public Map<String, Throwable> failures() {
		return this.failures;
	}

}
