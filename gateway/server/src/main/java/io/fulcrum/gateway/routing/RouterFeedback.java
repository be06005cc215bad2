package io.fulcrum.gateway.routing;

import java.time.Duration;

import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.metering.Attempt;
import io.fulcrum.gateway.metering.AttemptListener;
import io.fulcrum.gateway.metering.AttemptOutcome;
import io.fulcrum.gateway.metering.FinishedAttempt;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.gateway.provider.ProviderLimits;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.Outcome;
import io.fulcrum.routing.telemetry.RateLimitHeadroom;
import org.jspecify.annotations.Nullable;

/**
 * Feeds the router every attempt's outcome: requests in flight per deployment, latencies and output lengths of
 * successes, failures by kind, and the rate-limit headroom providers report in their response headers. A 429 also
 * closes the deployment's headroom until its {@code Retry-After} (1 s when the provider gave none). Failures the client caused (a 4xx other than 429) and
 * requests the client cancelled say nothing about the deployment and are not learned; a first attempt that lost a
 * hedge race teaches a lower bound of its time to first token.
 */
public final class RouterFeedback implements AttemptListener, ProviderLimits.Listener {

	private static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

	private final Router router;

	public RouterFeedback(Router router) {
		this.router = router;
	}

	@Override
	public void started(Attempt attempt) {
		this.router.stats(attempt.deployment().id()).requestStarted();
	}

	/**
	 * Learns a stream's time to first token the moment it arrives, for aliases routed by a scoring policy (the only
	 * ones that use it, and whose prompt tokens are already counted).
	 */
	@Override
	public void firstToken(Attempt attempt, long ttftNanos) {
		InferenceRequest request = attempt.request();
		if (this.router.scores(request.alias().name(), request.tenantId(), request.keyId())) {
			this.router.stats(attempt.deployment().id())
				.observeFirstToken(request.promptTokens(), ttftNanos, System.nanoTime());
		}
	}

	@Override
	public void finished(FinishedAttempt finished) {
		Attempt attempt = finished.attempt();
		InferenceRequest request = attempt.request();
		String deployment = attempt.deployment().id();
		DeploymentStats stats = this.router.stats(deployment);
		stats.requestFinished();
		long now = System.nanoTime();
		long prompt = finished.usage().inputOrZero();
		if (finished.outcome() == AttemptOutcome.SUCCESS) {
			boolean scored = this.router.scores(request.alias().name(), request.tenantId(), request.keyId());
			this.router.observe(request.keyId(), request.alias().name(), deployment,
					new Observation(prompt, finished.usage().outputOrZero(), finished.ttftNanos(),
							finished.durationNanos(), Outcome.SUCCESS, now, scored && finished.ttftNanos() >= 0));
			if (scored) {
				sloOutcome(request, finished, now);
			}
			return;
		}
		if (finished.outcome() == AttemptOutcome.CLIENT_CANCELLED) {
			return;
		}
		if (finished.outcome() == AttemptOutcome.HEDGE_LOST) {
			lostRace(attempt, finished, now);
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

	/**
	 * A first attempt that lost a hedge race had produced no token in all the time it ran: its time to first token
	 * was at least that long. Learning that lower bound keeps a deployment whose slow requests are all rescued by
	 * hedges from looking fast. A losing hedge started later and says nothing of the kind.
	 */
	private void lostRace(Attempt attempt, FinishedAttempt finished, long now) {
		InferenceRequest request = attempt.request();
		if (request.stream() && attempt.number() != request.hedgeAttempt()
				&& this.router.scores(request.alias().name(), request.tenantId(), request.keyId())) {
			this.router.stats(attempt.deployment().id())
				.observeFirstToken(request.promptTokens(), finished.durationNanos(), now);
		}
	}

	/**
	 * Tells the router whether the request met its SLO (its own or its class's), measured from when the gateway
	 * received it, so the class's error budget is spent as measured. Time to first token counts only for streams.
	 */
	private void sloOutcome(InferenceRequest request, FinishedAttempt finished, long now) {
		RoutingHints hints = request.hints();
		String alias = request.alias().name();
		Slo slo = hints.slo() != null ? hints.slo() : this.router.slo(alias, request.tenantId(), request.keyId(),
				hints.priority());
		if (!slo.constrained()) {
			return;
		}
		long elapsed = now - request.startNanos();
		long ttft = finished.ttftNanos() >= 0 ? elapsed - finished.durationNanos() + finished.ttftNanos() : -1;
		boolean met = (slo.ttftNanos() == 0 || ttft < 0 || ttft <= slo.ttftNanos())
				&& (slo.e2eNanos() == 0 || elapsed <= slo.e2eNanos());
		this.router.sloOutcome(alias, request.tenantId(), request.keyId(), hints.priority(), met,
				request.predicted(), now);
	}

	/**
	 * A provider's {@code x-ratelimit-*} (or Anthropic's) headers: what is left until the window resets. When
	 * requests run out the headroom lasts until the request window resets, else until the token window does.
	 */
	@Override
	public void observed(String deploymentId, ProviderLimits limits) {
		long now = System.nanoTime();
		Duration reset = limits.remainingRequests() == 0 ? limits.resetRequests() : limits.resetTokens();
		this.router.stats(deploymentId)
			.headroom(new RateLimitHeadroom(limits.remainingRequests(), limits.remainingTokens(),
					now + reset.toNanos()));
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
