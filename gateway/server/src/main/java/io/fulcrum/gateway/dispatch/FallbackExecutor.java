package io.fulcrum.gateway.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

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
 * Walks an ordered list of deployments until one serves the request; a planned hedge races the first of them
 * ({@link HedgeRace}). Each deployment has its own circuit breaker;
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
		return execute(model, PlannedRoute.of(order), factory, item -> true, RaceListener.NONE);
	}

	/**
	 * Runs a planned route. With a hedge, the first deployment races the hedge ({@link HedgeRace}): an item for
	 * which {@code firstByte} holds is an attempt's first byte; if both fail, the route falls back to its other
	 * deployments.
	 */
	public <T> Flux<T> execute(String model, PlannedRoute route, AttemptFactory<T> factory, Predicate<T> firstByte,
			RaceListener listener) {
		return Flux.defer(() -> {
			Map<String, Throwable> failures = new LinkedHashMap<>();
			AtomicInteger attempts = new AtomicInteger();
			AtomicBoolean emitted = new AtomicBoolean();
			PlannedRoute.Hedge hedge = route.hedge();
			List<Deployment> order = route.order();
			if (hedge == null || order.size() < 2 || hedge.deployment().id().equals(order.get(0).id())) {
				return tryFrom(0, model, order, factory, failures, attempts, emitted);
			}
			// The racers may fail at once, on different threads.
			Map<String, Throwable> raceFailures = Collections.synchronizedMap(failures);
			Deployment first = order.get(0);
			List<Deployment> rest = new ArrayList<>(order.size());
			for (Deployment deployment : order) {
				if (!deployment.id().equals(first.id()) && !deployment.id().equals(hedge.deployment().id())) {
					rest.add(deployment);
				}
			}
			AtomicInteger firstNumber = new AtomicInteger();
			AtomicInteger hedgeNumber = new AtomicInteger();
			HedgeRace.Racer<T> firstRacer = new HedgeRace.Racer<>(
					attempt(first, 0, factory, attempts, firstNumber::set, emitted),
					() -> listener.won(firstNumber.get(), first), ex -> raceFailures.put(first.id(), ex));
			HedgeRace.Racer<T> hedgeRacer = new HedgeRace.Racer<>(
					attempt(hedge.deployment(), 0, factory, attempts, number -> {
						hedgeNumber.set(number);
						this.metrics.hedge(model, hedge.deployment().id(), "sent");
						listener.hedgeStarted(number);
					}, emitted), () -> {
						this.metrics.hedge(model, hedge.deployment().id(), "won");
						listener.won(hedgeNumber.get(), hedge.deployment());
					},
					ex -> raceFailures.put(hedge.deployment().id(), ex));
			return HedgeRace.race(firstRacer, hedgeRacer, hedge.delay(), firstByte)
				.doOnNext(item -> emitted.set(true))
				.onErrorResume(ex -> !emitted.get(), ex -> {
					if (isClientError(ex)) {
						return Flux.error(rejected(ex));
					}
					if (!rest.isEmpty()) {
						this.metrics.fallback(model, first.id());
					}
					return tryFrom(0, model, rest, factory, failures, attempts, emitted);
				});
		});
	}

	/** Hears how a hedge race goes, so that the loser is metered as such. */
	public interface RaceListener {

		/** Listens to nothing. */
		RaceListener NONE = new RaceListener() {
		};

		/** The hedge started as attempt {@code number}. */
		default void hedgeStarted(int number) {
		}

		/** Attempt {@code number}, on {@code deployment}, won; called before the other attempt is cancelled. */
		default void won(int number, Deployment deployment) {
		}

	}

	private <T> Flux<T> tryFrom(int index, String model, List<Deployment> order, AttemptFactory<T> factory,
			Map<String, Throwable> failures, AtomicInteger attempts, AtomicBoolean emitted) {
		if (index == order.size()) {
			return Flux.error(AllDeploymentsFailedException.of(model, failures));
		}
		return attempt(order.get(index), 0, factory, attempts, number -> {
		}, emitted).doOnNext(item -> emitted.set(true)).onErrorResume(ex -> !emitted.get(), ex -> {
			Deployment deployment = order.get(index);
			if (isClientError(ex)) {
				return Flux.error(rejected(ex));
			}
			failures.put(deployment.id(), ex);
			if (index + 1 < order.size()) {
				this.metrics.fallback(model, deployment.id());
			}
			return tryFrom(index + 1, model, order, factory, failures, attempts, emitted);
		});
	}

	private static boolean isClientError(Throwable ex) {
		return ex instanceof ProviderException provider
				&& provider.failure() == ProviderException.Failure.CLIENT_ERROR;
	}

	private static GatewayException rejected(Throwable ex) {
		return new GatewayException(ErrorKind.INVALID_REQUEST,
				"The provider rejected the request: " + ex.getMessage(), null, "upstream_rejected", null);
	}

	/**
	 * One try on a deployment, and its retries. Retries are chained only when a try fails, so the common path
	 * carries no retry machinery; backoff doubles from the deployment's {@code retryBackoff}. {@code started} hears
	 * each try's attempt number. Retries stop once an item has gone downstream ({@code emitted}), which the caller
	 * marks: a racer's items are held until it wins.
	 */
	private <T> Flux<T> attempt(Deployment deployment, int retry, AttemptFactory<T> factory, AtomicInteger attempts,
			IntConsumer started, AtomicBoolean emitted) {
		Flux<T> call = Flux.defer(() -> {
			int number = attempts.incrementAndGet();
			started.accept(number);
			return factory.attempt(deployment, number);
		}).transformDeferred(CircuitBreakerOperator.of(breaker(deployment)));
		if (retry >= deployment.maxRetries()) {
			return call;
		}
		return call.onErrorResume(ex -> !emitted.get() && isRetryable(ex),
				ex -> Mono.delay(deployment.retryBackoff().multipliedBy(1L << retry))
					.thenMany(attempt(deployment, retry + 1, factory, attempts, started, emitted)));
	}

	private static boolean isRetryable(Throwable ex) {
		return ex instanceof ProviderException provider && provider.failure() == ProviderException.Failure.RETRYABLE
				&& !(ex instanceof CallNotPermittedException);
	}

}
