package io.fulcrum.simulator;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Delays on the event loop of one connection. Timers there fire on the thread that writes the connection, so a
 * paced stream needs no thread hand-off and no thread ever sleeps.
 */
final class EventLoopTimer {

	private final EventExecutor loop;

	EventLoopTimer(Channel channel) {
		this.loop = channel.eventLoop();
	}

	/** Completes after this many nanoseconds; at once, on the subscribing thread, when not positive. */
	Mono<Void> delay(long nanos) {
		if (nanos <= 0) {
			return Mono.empty();
		}
		return Mono.create((sink) -> {
			ScheduledFuture<?> timer = this.loop.schedule(() -> sink.success(), nanos, TimeUnit.NANOSECONDS);
			sink.onCancel(() -> timer.cancel(false));
		});
	}

	/**
	 * Emits {@code 0} to {@code count - 1}, the first at once and each next one {@code intervalNanos} after the
	 * previous, scheduled from the start so that slow consumers do not make the pace drift; all at once when the
	 * interval is not positive.
	 */
	Flux<Integer> ticks(int count, long intervalNanos) {
		if (intervalNanos <= 0 || count <= 1) {
			return Flux.range(0, count);
		}
		return Flux.defer(() -> {
			long start = System.nanoTime();
			return Flux.range(0, count)
				.concatMap((index) -> (index == 0) ? Mono.just(index)
						: delay(start + index * intervalNanos - System.nanoTime()).thenReturn(index), 1);
		});
	}

}
