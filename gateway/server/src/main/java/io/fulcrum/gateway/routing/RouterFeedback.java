package io.fulcrum.gateway.routing;

import java.time.Duration;

import io.fulcrum.gateway.metering.Attempt;
import io.fulcrum.gateway.metering.AttemptListener;
import io.fulcrum.gateway.metering.AttemptOutcome;
import io.fulcrum.gateway.metering.FinishedAttempt;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.Outcome;
import io.fulcrum.routing.telemetry.RateLimitHeadroom;
import org.jspecify.annotations.Nullable;

/**
 * Feeds the router every attempt's outcome: requests in flight per deployment, latencies and output lengths of
 * successes, and failures by kind. A 429 also closes the deployment's rate-limit headroom until its
 * {@code Retry-After} (1 s when the provider gave none). Failures the client caused (a 4xx other than 429) and
 * requests the client cancelled say nothing about the deployment and are not learned.
 */
public final class RouterFeedback implements AttemptListener {

	private static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

	private final Router router;

	public RouterFeedback(Router router) {
		this.router = router;
	}

	@Override
	public void started(Attempt attempt) {
		this.router.stats(attempt.deployment().id()).requestStarted();
	}

	@Override
	public void finished(FinishedAttempt finished) {
		Attempt attempt = finished.attempt();
		String deployment = attempt.deployment().id();
		DeploymentStats stats = this.router.stats(deployment);
		stats.requestFinished();
		long now = System.nanoTime();
		long prompt = finished.usage().inputOrZero();
		if (finished.outcome() == AttemptOutcome.SUCCESS) {
			this.router.observe(attempt.request().keyId(), attempt.request().alias().name(), deployment,
					new Observation(prompt, finished.usage().outputOrZero(), finished.ttftNanos(),
							finished.durationNanos(), Outcome.SUCCESS, now));
			return;
		}
		if (finished.outcome() == AttemptOutcome.CLIENT_CANCELLED) {
			return;
		}
		Outcome outcome = outcome(finished.failure());
		if (outcome == null) {
			return;
		}
		if (outcome == Outcome.RATE_LIMITED) {
			Duration pause = finished.failure() instanceof ProviderException provider && provider.retryAfter() != null
					? provider.retryAfter() : DEFAULT_RATE_LIMIT_PAUSE;
			stats.headroom(new RateLimitHeadroom(0, 0, now + pause.toNanos()));
		}
		stats.observe(Observation.failed(prompt, outcome, now));
	}

	/** The router's view of a failure; {@code null} when the deployment is not to blame. */
	static @Nullable Outcome outcome(@Nullable Throwable failure) {
		if (!(failure instanceof ProviderException provider)) {
			return Outcome.ERROR; // a broken connection or stream
		}
		if (provider.status() == 429) {
			return Outcome.RATE_LIMITED;
		}
		return switch (provider.failure()) {
			case CLIENT_ERROR -> null;
			case FALLBACK -> Outcome.ERROR;
			case RETRYABLE -> provider.isTimeout() ? Outcome.TIMEOUT : Outcome.ERROR;
		};
	}

}
