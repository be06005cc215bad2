package io.fulcrum.gateway.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A ledger whose {@link #append} does what the request path pays for in {@link io.fulcrum.billing.r2dbc.R2dbcUsageLedger}
 * (hand the record to a queue and return) without a database behind it: records go into a bounded queue that another
 * thread drains in batches and counts. Used to measure metering without the embedded database's threads taking the
 * same cores. A record that does not fit is counted as rejected, never waited for, so {@code append} stays
 * non-blocking; the benchmark fails if any was.
 */
final class DrainedQueueLedger implements UsageLedger, AutoCloseable {

	private static final long DRAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final BlockingQueue<UsageRecord> queue;

	private final AtomicLong appended = new AtomicLong();

	private final AtomicLong drained = new AtomicLong();

	private final AtomicLong rejected = new AtomicLong();

	private final Thread drainer;

	private volatile boolean closed;

	DrainedQueueLedger(int capacity) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.drainer = new Thread(this::drain, "bench-ledger-drainer");
		this.drainer.setDaemon(true);
		this.drainer.start();
	}

	@Override
	public void append(UsageRecord record) {
		if (this.queue.offer(record)) {
			this.appended.incrementAndGet();
		}
		else {
			this.rejected.incrementAndGet();
		}
	}

	/** Completes once the drainer has taken every record appended before the call. */
	@Override
	public Mono<Void> flush() {
		return Mono.<Void>fromRunnable(() -> {
			long target = this.appended.get();
			while (this.drained.get() < target) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** Records are counted and dropped once drained: there is nothing to find. */
	@Override
	public Flux<UsageRecord> findByRequestId(String requestId) {
		return Flux.empty();
	}

	long rejected() {
		return this.rejected.get();
	}

	@Override
	public void close() {
		this.closed = true;
	}

	/**
	 * Takes batches every millisecond rather than waiting on the queue: a waiting consumer would make every
	 * {@code append} wake it (a futex call of several microseconds), which the real ledger, whose batches are gathered
	 * by a timer, does not pay either.
	 */
	private void drain() {
		List<UsageRecord> batch = new ArrayList<>(256);
		while (!this.closed) {
			this.queue.drainTo(batch, 256);
			if (batch.isEmpty()) {
				LockSupport.parkNanos(DRAIN_INTERVAL_NANOS);
			}
			else {
				this.drained.addAndGet(batch.size());
				batch.clear();
			}
		}
	}

}
