package io.fulcrum.billing.r2dbc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Counts records appended and records settled (written, or rejected as malformed) and releases flushes.
 * Counting is enough, with no per-record sequence numbers: a record is counted before it is queued and the writer
 * settles records in queue order, so once {@code n} are settled, so is every record queued before the count reached
 * {@code n}.
 */
final class FlushTracker {

	private final AtomicLong appended = new AtomicLong();

	private final AtomicLong settled = new AtomicLong();

	private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	/** Call before queueing the record. */
	void appended() {
		this.appended.incrementAndGet();
	}

	void settled(int count) {
		this.settled.addAndGet(count);
		release();
	}

	/** Records appended but not yet settled. */
	long pending() {
		return this.appended.get() - this.settled.get();
	}

	/** Completes once every record appended before this call is settled. */
	Mono<Void> awaitAppendedSoFar() {
		long target = this.appended.get();
		if (this.settled.get() >= target) {
			return Mono.empty();
		}
		Sinks.Empty<Void> done = Sinks.empty();
		this.waiters.add(new Waiter(target, done));
		// The writer may have settled the target between the check and the add; it would not have seen us.
		release();
		return done.asMono();
	}

	private void release() {
		long settledSoFar = this.settled.get();
		this.waiters.removeIf((waiter) -> {
			if (waiter.target() > settledSoFar) {
				return false;
			}
			waiter.done().tryEmitEmpty();
			return true;
		});
	}

	private record Waiter(long target, Sinks.Empty<Void> done) {

	}

}
