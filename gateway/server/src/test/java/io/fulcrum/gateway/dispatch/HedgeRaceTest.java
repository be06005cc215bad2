package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The race between a first attempt and its hedge, in virtual time; items named "token" are first bytes. */
class HedgeRaceTest {

	private static final Duration DELAY = Duration.ofMillis(500);

	private final List<String> events = new CopyOnWriteArrayList<>();

	@Test
	void aFirstAttemptThatAnswersBeforeTheDelaySendsNoHedge() {
		AtomicBoolean hedgeSubscribed = new AtomicBoolean();
		StepVerifier
			.withVirtualTime(() -> race(Flux.just("role", "token", "more").delayElements(Duration.ofMillis(100)),
					Flux.<String>just("hedge-token").doOnSubscribe(s -> hedgeSubscribed.set(true))))
			.thenAwait(Duration.ofSeconds(2))
			.expectNext("role", "token", "more")
			.verifyComplete();
		assertThat(hedgeSubscribed).isFalse();
		assertThat(this.events).containsExactly("first won");
	}

	@Test
	void aSlowFirstAttemptLosesToItsHedgeAndIsCancelledWithItsHeldItems() {
		AtomicBoolean firstCancelled = new AtomicBoolean();
		Flux<String> slow = Flux.concat(Flux.just("role"), Flux.just("token").delayElements(Duration.ofSeconds(3)))
			.doOnCancel(() -> firstCancelled.set(true));
		Flux<String> hedge = Flux.just("hedge-role", "token", "hedge-more").delayElements(Duration.ofMillis(50));
		StepVerifier.withVirtualTime(() -> race(slow, hedge))
			.thenAwait(Duration.ofSeconds(1))
			// The first attempt's role chunk never reaches the client: it was held until a token that never came.
			.expectNext("hedge-role", "token", "hedge-more")
			.verifyComplete();
		assertThat(firstCancelled).isTrue();
		assertThat(this.events).containsExactly("hedge won");
	}

	@Test
	void aFirstAttemptThatFailsBeforeTheDelayStartsTheHedgeAtOnce() {
		StepVerifier
			.withVirtualTime(() -> race(Flux.error(new IllegalStateException("503")),
					Flux.just("token", "from-hedge")))
			.expectNext("token", "from-hedge")
			.verifyComplete();
		assertThat(this.events).containsExactly("first failed", "hedge won");
	}

	@Test
	void whenBothFailTheRaceFailsWithTheLastFailureAndNothingWasSent() {
		Flux<String> first = Flux.concat(Flux.just("role"), Flux.<String>error(new IllegalStateException("first"))
			.delaySubscription(Duration.ofSeconds(1)));
		Flux<String> hedge = Flux.<String>error(new IllegalStateException("hedge")).delaySubscription(
				Duration.ofSeconds(2));
		StepVerifier.withVirtualTime(() -> race(first, hedge))
			.thenAwait(Duration.ofSeconds(3))
			.expectErrorMessage("hedge")
			.verify();
		assertThat(this.events).containsExactly("first failed", "hedge failed");
	}

	private Flux<String> race(Flux<String> first, Flux<String> hedge) {
		return HedgeRace.race(
				new HedgeRace.Racer<>(first, () -> this.events.add("first won"), ex -> this.events.add("first failed")),
				new HedgeRace.Racer<>(hedge, () -> this.events.add("hedge won"), ex -> this.events.add("hedge failed")),
				DELAY, item -> item.contains("token"));
	}

}
