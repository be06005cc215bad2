package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Router;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Puts a request and each of its attempts under their rate limits. The request is admitted against its key's,
 * tenant's and alias's limits before anything else happens (a refusal is a 429 naming the limit) and settled to its
 * actual tokens however it ends; each attempt is admitted against its deployment's limits, and a deployment at its
 * limit is answered like a provider's 429, so the request falls back to the next deployment.
 */
public final class LimitGuard {

	private final RateLimiter limiter;

	private final Router router;

	private final Duration batchMaxWait;

	/** @param batchMaxWait longest a batch request waits in line for a deployment at its limit (0: not at all) */
	public LimitGuard(RateLimiter limiter, Router router, Duration batchMaxWait) {
		this.limiter = limiter;
		this.router = router;
		this.batchMaxWait = batchMaxWait;
	}

	/** {@code work} runs only once the request is admitted; its end, however it comes, settles the request. */
	public <T> Flux<T> request(InferenceRequest request, Flux<T> work) {
		return Flux.usingWhen(admit(request), admission -> work, admission -> settle(admission, request),
				(admission, error) -> settle(admission, request), admission -> settle(admission, request));
	}

	/**
	 * {@code call} runs only if the deployment's own limits admit it. Batch requests leave the last part of each
	 * limit to interactive ones, and when refused wait in line (up to {@code batchMaxWait} in all) for the bucket to
	 * refill instead of falling back or failing at once.
	 */
	public <T> Flux<T> attempt(InferenceRequest request, Deployment deployment, Flux<T> call) {
		long usedBefore = request.usedTokens();
		boolean batch = request.hints().priority() == Priority.BATCH;
		LongSupplier estimate = () -> estimate(request);
		Mono<Admission> admission = Mono.defer(() -> this.limiter.admitAttempt(deployment.id(), estimate, batch));
		if (batch && !this.batchMaxWait.isZero()) {
			long giveUpAt = System.nanoTime() + this.batchMaxWait.toNanos();
			admission = admission.onErrorResume(RateLimitExceededException.class,
					ex -> waitInLine(ex, giveUpAt, deployment, estimate));
		}
		admission = admission.onErrorMap(RateLimitExceededException.class, ex -> new ProviderException(
				ProviderException.Failure.FALLBACK, 429, ex.getMessage(), ex.retryAfter(), null));
		return Flux.usingWhen(admission, admitted -> call,
				admitted -> this.limiter.finish(admitted, request.usedTokens() - usedBefore),
				(admitted, error) -> this.limiter.finish(admitted, request.usedTokens() - usedBefore),
				admitted -> this.limiter.finish(admitted, request.usedTokens() - usedBefore));
	}

	/** Waits until the refused bucket should have room, then tries again, until the batch deadline. */
	private Mono<Admission> waitInLine(RateLimitExceededException refused, long giveUpAt, Deployment deployment,
			LongSupplier estimate) {
		Duration wait = refused.retryAfter() != null ? refused.retryAfter() : Duration.ofMillis(100);
		if (System.nanoTime() + wait.toNanos() - giveUpAt > 0) {
			return Mono.error(refused);
		}
		return Mono.delay(wait)
			.then(Mono.defer(() -> this.limiter.admitAttempt(deployment.id(), estimate, true)))
			.onErrorResume(RateLimitExceededException.class,
					again -> waitInLine(again, giveUpAt, deployment, estimate));
	}

	private Mono<Admission> admit(InferenceRequest request) {
		return this.limiter
			.admit(request.keyId(), request.tenantId(), request.alias().name(), () -> estimate(request))
			.doOnNext(admission -> {
				if (admission.status() != null) {
					request.rateLimits(admission.status());
				}
			})
			.doOnError(RateLimitExceededException.class, ex -> {
				if (ex.status() != null) {
					request.rateLimits(ex.status());
				}
			});
	}

	private Mono<Void> settle(Admission admission, InferenceRequest request) {
		return this.limiter.finish(admission, request.usedTokens());
	}

	/** Prompt tokens plus the output the request may produce: its {@code max_tokens}, else what its key usually gets. */
	private long estimate(InferenceRequest request) {
		long maxTokens = request.hints().maxTokens();
		double output = maxTokens > 0 ? maxTokens
				: this.router.expectedOutputTokens(request.keyId(), request.alias().name(), System.nanoTime());
		return request.promptTokens() + Math.round(output);
	}

}
