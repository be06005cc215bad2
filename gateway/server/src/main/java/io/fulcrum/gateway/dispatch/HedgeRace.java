package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Races a request's first attempt against a hedge. The hedge starts once {@code delay} has passed without the
 * first attempt's first byte (a stream's first token; an unstreamed answer is its own first byte), or at once if
 * the first attempt fails before then. Each attempt's items are held back until its first byte: the first attempt
 * to produce one wins, its held items and everything after go downstream, and the other is cancelled, which closes
 * its upstream connection. A failure of either leaves the other to carry on; the race fails only when both did
 * (with the last failure), and then nothing has gone downstream, so the caller may fall back.
 *
 * <p>{@link Racer#won} runs before the loser is cancelled, so whoever meters the cancelled attempt already knows it
 * lost.
 */
final class HedgeRace {

	private static final int NONE = 0;

	private static final int FIRST = 1;

	private static final int HEDGE = 2;

	private HedgeRace() {
	}

	/**
	 * One side of the race.
	 *
	 * @param attempt the attempt (with its retries); subscribed at most once
	 * @param won called when this side produced the first byte first, before the other side is cancelled
	 * @param failed called with this side's failure
	 */
	record Racer<T>(Flux<T> attempt, Runnable won, Consumer<Throwable> failed) {
	}

	static <T> Flux<T> race(Racer<T> first, Racer<T> hedge, Duration delay, Predicate<T> firstByte) {
		return Flux.defer(() -> {
			AtomicInteger winner = new AtomicInteger(NONE);
			Sinks.Empty<Void> firstLost = Sinks.empty();
			Sinks.Empty<Void> hedgeLost = Sinks.empty();
			// The first attempt ended (answered, failed or lost): the hedge need not wait for its delay.
			Sinks.Empty<Void> firstEnded = Sinks.empty();
			List<Throwable> failures = new ArrayList<>(2);
			Flux<T> firstSide = side(first, FIRST, winner, hedgeLost, firstLost, firstByte, failures)
				.doFinally(signal -> firstEnded.tryEmitEmpty());
			Flux<T> hedgeSide = Mono.firstWithSignal(Mono.delay(delay).then(), firstEnded.asMono())
				.thenMany(Flux.defer(() -> winner.get() != NONE ? Flux.<T>empty()
						: side(hedge, HEDGE, winner, firstLost, hedgeLost, firstByte, failures)));
			return Flux.merge(firstSide, hedgeSide)
				.concatWith(Flux.defer(() -> winner.get() != NONE ? Flux.<T>empty() : Flux.error(last(failures))));
		});
	}

	/** One racer: its items held until it wins, cancelled when the other wins, its failure noted, not passed on. */
	private static <T> Flux<T> side(Racer<T> racer, int id, AtomicInteger winner, Sinks.Empty<Void> otherLost,
			Sinks.Empty<Void> lost, Predicate<T> firstByte, List<Throwable> failures) {
		BooleanSupplier claim = () -> {
			if (!winner.compareAndSet(NONE, id)) {
				return false;
			}
			racer.won().run();
			otherLost.tryEmitEmpty();
			return true;
		};
		return Flux.defer(() -> {
			Gate<T> gate = new Gate<>(claim, firstByte);
			return racer.attempt().concatMapIterable(gate::pass).concatWith(Flux.defer(gate::rest));
		}).takeUntilOther(lost.asMono()).onErrorResume(ex -> {
			synchronized (failures) {
				failures.add(ex);
			}
			racer.failed().accept(ex);
			return Flux.empty();
		});
	}

	private static Throwable last(List<Throwable> failures) {
		synchronized (failures) {
			return failures.isEmpty() ? new IllegalStateException("the hedge race ended without an answer")
					: failures.get(failures.size() - 1);
		}
	}

	/** Holds one racer's items until its first byte; then lets them through if it is the first to get there. */
	private static final class Gate<T> {

		private final BooleanSupplier claim;

		private final Predicate<T> firstByte;

		private @Nullable List<T> held = new ArrayList<>(2);

		Gate(BooleanSupplier claim, Predicate<T> firstByte) {
			this.claim = claim;
			this.firstByte = firstByte;
		}

		Iterable<T> pass(T item) {
			List<T> waiting = this.held;
			if (waiting == null) {
				return List.of(item);
			}
			waiting.add(item);
			if (!this.firstByte.test(item) || !this.claim.getAsBoolean()) {
				return List.of();
			}
			this.held = null;
			return waiting;
		}

		/** The attempt completed without a first byte (an empty answer): it still answered, if first. */
		Flux<T> rest() {
			List<T> waiting = this.held;
			if (waiting == null || !this.claim.getAsBoolean()) {
				return Flux.empty();
			}
			this.held = null;
			return Flux.fromIterable(waiting);
		}

	}

}
