package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.provider.ProviderException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Per-attempt deadlines. A stream must deliver its first chunk within the provider's first-token timeout and
 * finish within its total timeout; a unary call must finish within the total timeout. Each attempt arms at most
 * two timers, not one per chunk: streams can carry thousands of chunks.
 */
final class TimeLimits {

	private TimeLimits() {
	}

	static <T> Flux<T> stream(Flux<T> flux, Deployment deployment) {
		Duration total = deployment.provider().totalTimeout();
		Duration first = min(deployment.provider().firstTokenTimeout(), total);
		String limits = "(first token " + first.toMillis() + " ms, total " + total.toMillis() + " ms)";
		return flux.timeout(Mono.delay(first), item -> Mono.never())
			.takeUntilOther(Mono.delay(total).then(Mono.error(new TimeoutException())))
			.onErrorMap(TimeoutException.class,
					ex -> ProviderException.timeout("no data within the time limit " + limits));
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
