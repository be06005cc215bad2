package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.provider.ProviderException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Per-attempt deadlines. A stream must deliver its first chunk within the provider's first-token timeout and
 * finish within its total timeout; a unary call must finish within the total timeout.
 */
final class TimeLimits {

	private TimeLimits() {
	}

	static <T> Flux<T> stream(Flux<T> flux, Deployment deployment) {
		Duration total = deployment.provider().totalTimeout();
		Duration first = min(deployment.provider().firstTokenTimeout(), total);
		long deadline = System.nanoTime() + total.toNanos();
		// Each item re-arms the timer with what is left of the total, so the deadline also bounds the stream.
		return flux
			.timeout(Mono.delay(first),
					item -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
			.onErrorMap(TimeoutException.class,
					ex -> ProviderException.timeout("no data within the time limit (first token " + first.toMillis()
							+ " ms, total " + total.toMillis() + " ms)"));
	}

	static <T> Flux<T> unary(Flux<T> flux, Deployment deployment) {
		Duration total = deployment.provider().totalTimeout();
		return flux.timeout(total)
			.onErrorMap(TimeoutException.class,
					ex -> ProviderException.timeout("no answer within " + total.toMillis() + " ms"));
	}

	private static Duration min(Duration a, Duration b) {
		return a.compareTo(b) <= 0 ? a : b;
	}

}
