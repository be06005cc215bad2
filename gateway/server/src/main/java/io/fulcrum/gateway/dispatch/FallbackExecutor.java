package io.fulcrum.gateway.dispatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.gateway.metrics.GatewayMetrics;
import io.fulcrum.gateway.provider.ProviderException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Walks an ordered list of deployments until one serves the request. Each deployment has its own circuit breaker;
 * retryable failures are retried on the same deployment with backoff, then the next deployment is tried. Once
 * the first item has gone downstream (towards the client), nothing is retried and no fallback happens: the error
 * is passed on for the caller to end the stream with.
 */
public final class FallbackExecutor {

	private final CircuitBreakerRegistry breakers;

	private final GatewayMetrics metrics;

	public FallbackExecutor(CircuitBreakerRegistry breakers, GatewayMetrics metrics) {
		this.breakers = breakers;
		this.metrics = metrics;
	}

	/** One attempt on one deployment; {@code number} counts attempts of the request from 1. */
	@FunctionalInterface
	public interface AttemptFactory<T> {

		Flux<T> attempt(Deployment deployment, int number);

	}

	public CircuitBreaker breaker(Deployment deployment) {
		return this.breakers.circuitBreaker(deployment.id());
	}

	public <T> Flux<T> execute(String model, List<Deployment> order, AttemptFactory<T> factory) {
		return Flux.defer(() -> {
			Map<String, Throwable> failures = new LinkedHashMap<>();
			return tryFrom(0, model, order, factory, failures, new AtomicInteger(), new AtomicBoolean());
		});
	}

	private <T> Flux<T> tryFrom(int index, String model, List<Deployment> order, AttemptFactory<T> factory,
			Map<String, Throwable> failures, AtomicInteger attempts, AtomicBoolean emitted) {
		if (index == order.size()) {
			return Flux.error(AllDeploymentsFailedException.of(model, failures));
		}
		return attempt(order.get(index), 0, factory, attempts, emitted).onErrorResume(ex -> !emitted.get(), ex -> {
			Deployment deployment = order.get(index);
			if (ex instanceof ProviderException provider
					&& provider.failure() == ProviderException.Failure.CLIENT_ERROR) {
				return Flux.error(new GatewayException(ErrorKind.INVALID_REQUEST,
						"The provider rejected the request: " + provider.getMessage(), null, "upstream_rejected",
						null));
			}
			failures.put(deployment.id(), ex);
			if (index + 1 < order.size()) {
				this.metrics.fallback(model, deployment.id());
			}
			return tryFrom(index + 1, model, order, factory, failures, attempts, emitted);
		});
	}

	/**
	 * One try on a deployment, and its retries. Retries are chained only when a try fails, so the common path
	 * carries no retry machinery; backoff doubles from the deployment's {@code retryBackoff}.
	 */
	private <T> Flux<T> attempt(Deployment deployment, int retry, AttemptFactory<T> factory, AtomicInteger attempts,
			AtomicBoolean emitted) {
		Flux<T> call = Flux.defer(() -> factory.attempt(deployment, attempts.incrementAndGet()))
			.transformDeferred(CircuitBreakerOperator.of(breaker(deployment)))
			.doOnNext(item -> emitted.set(true));
		if (retry >= deployment.maxRetries()) {
			return call;
		}
		return call.onErrorResume(ex -> !emitted.get() && isRetryable(ex),
				ex -> Mono.delay(deployment.retryBackoff().multipliedBy(1L << retry))
					.thenMany(attempt(deployment, retry + 1, factory, attempts, emitted)));
	}

	private static boolean isRetryable(Throwable ex) {
		return ex instanceof ProviderException provider && provider.failure() == ProviderException.Failure.RETRYABLE
				&& !(ex instanceof CallNotPermittedException);
	}

}
