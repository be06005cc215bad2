package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.Map;

import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.ProviderEndpoint;
import io.fulcrum.gateway.catalog.ProviderKind;
import io.fulcrum.gateway.catalog.Secret;
import io.fulcrum.gateway.provider.ProviderException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class TimeLimitsTest {

	private static final Deployment DEPLOYMENT = new Deployment("d",
			new ProviderEndpoint("p", ProviderKind.OPENAI, "http://127.0.0.1:1", Secret.NONE, Duration.ofSeconds(1),
					Duration.ofMillis(100), Duration.ofMillis(400), 10, Map.of(), null),
			"m", TokenPrice.FREE, 0, 0, Duration.ZERO, new DeploymentProfile("d", "p", false, TokenPrices.FREE,
					LatencyPrior.UNKNOWN, 0));

	@Test
	void streamWithoutAFirstChunkFailsAtTheFirstTokenTimeout() {
		StepVerifier.create(TimeLimits.stream(Flux.never(), DEPLOYMENT))
			.expectErrorSatisfies(ex -> assertThat(ex)
				.isInstanceOfSatisfying(ProviderException.class,
						p -> assertThat(p.isTimeout()).isTrue()))
			.verify(Duration.ofSeconds(2));
	}

	@Test
	void streamThatStallsAfterItsFirstChunkFailsAtTheTotalTimeout() {
		long start = System.nanoTime();
		StepVerifier.create(TimeLimits.stream(Flux.just(1).concatWith(Flux.never()), DEPLOYMENT))
			.expectNext(1)
			.expectError(ProviderException.class)
			.verify(Duration.ofSeconds(2));
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isGreaterThanOrEqualTo(Duration.ofMillis(350));
	}

	@Test
	void streamThatKeepsSendingPastTheFirstTokenTimeoutIsNotCutShort() {
		// Virtual time: on a loaded machine a real 60 ms tick can arrive after the 100 ms first-token limit.
		StepVerifier.withVirtualTime(() -> TimeLimits.stream(Flux.interval(Duration.ofMillis(60)).take(4), DEPLOYMENT))
			.thenAwait(Duration.ofMillis(240))
			.expectNextCount(4)
			.verifyComplete();
	}

}
