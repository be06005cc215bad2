package io.fulcrum.backend.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers inputs submitted by many concurrent requests into batches and runs each batch on one engine thread.
 *
 * <p>The engine thread creates the {@link BatchProcessor} and is the only thread that touches it (a CUDA context
 * belongs to one thread). Submitting never blocks: a submission either fits in the bounded queue whole, or is
 * refused with {@link QueueFullException} so the server can answer 503 at once. Inputs are taken in arrival
 * order; a batch closes when it reaches {@link BatchLimits#maxBatchItems()} or
 * {@link BatchLimits#maxBatchCost()}, or when {@link BatchLimits#maxWait()} has passed since the engine became
 * free. An input whose future was cancelled (its client went away) is dropped before it runs.
 *
 * @param <I> one input
 * @param <O> its result
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

	private final BatchLimits limits;

	private final BatchListener listener;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();

	/** Total cost of {@link #queue}, kept with it under {@link #lock}. */
	private long queuedCost;

	private final Thread engine;

	private volatile boolean closed;

	private volatile int running;

	/** Moving average of run time per unit of cost, for Retry-After estimates. */
	private volatile double nanosPerCost = 1_000_000;

	/**
	 * Starts the engine thread, creates the processor on it, and returns once it is ready.
	 * @param name the engine thread's name
	 * @param processor creates the processor, on the engine thread
	 * @throws IllegalStateException when the processor cannot be created (the cause attached)
	 */
	public DynamicBatcher(String name, BatchLimits limits, Supplier<? extends BatchProcessor<I, O>> processor,
			BatchListener listener) {
		this.limits = limits;
		this.listener = listener;
		this.engine = EngineThread.start(name, processor, this::serve);
	}

	/**
	 * Queues inputs that belong together (one request's); all are accepted or none.
	 * @param inputs the inputs
	 * @param costs each input's cost (its token count)
	 * @return one future per input, completed on the engine thread
	 * @throws QueueFullException when the queue has no room for all of them now
	 * @throws SubmissionTooLargeException when they are more than the queue can ever hold
	 * @throws EngineClosedException when the batcher is closed
	 */
	public List<CompletableFuture<O>> submit(List<I> inputs, int[] costs) {
		List<CompletableFuture<O>> futures = new ArrayList<>(inputs.size());
		this.lock.lock();
		try {
			if (this.closed) {
				throw new EngineClosedException();
			}
			if (inputs.size() > this.limits.maxQueuedItems()) {
				throw new SubmissionTooLargeException(inputs.size(), this.limits.maxQueuedItems());
			}
			if (this.queue.size() + inputs.size() > this.limits.maxQueuedItems()) {
				throw new QueueFullException(this.queue.size(), this.limits.maxQueuedItems(), retryAfterMillis());
			}
			long now = System.nanoTime();
			for (int i = 0; i < inputs.size(); i++) {
				CompletableFuture<O> future = new CompletableFuture<>();
				this.queue.add(new Pending<>(inputs.get(i), costs[i], future, now));
				this.queuedCost += costs[i];
				futures.add(future);
			}
			this.arrived.signal();
		}
		finally {
			this.lock.unlock();
		}
		return futures;
	}

	/** Inputs waiting for a batch. */
	public int waiting() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Inputs in the batch running now. */
	public int running() {
		return this.running;
	}

	private long retryAfterMillis() {
		return Math.max(1000, (long) (this.queuedCost * this.nanosPerCost / 1_000_000));
	}

	private void serve(BatchProcessor<I, O> processor) {
		try {
			List<Pending<I, O>> batch;
			while ((batch = nextBatch()) != null) {
				runBatch(processor, batch);
			}
		}
		finally {
			try {
				processor.close();
			}
			catch (RuntimeException ex) {
				log.warn("Closing the inference engine failed", ex);
			}
		}
	}

	/** Blocks for the next batch; {@code null} once closed and drained of work already taken. */
	private @Nullable List<Pending<I, O>> nextBatch() {
		this.lock.lock();
		try {
			while (this.queue.isEmpty()) {
				if (this.closed) {
					return null;
				}
				this.arrived.awaitUninterruptibly();
			}
			long deadline = System.nanoTime() + this.limits.maxWait().toNanos();
			while (!this.closed && !full() && System.nanoTime() < deadline) {
				this.arrived.awaitNanos(deadline - System.nanoTime());
			}
			List<Pending<I, O>> batch = new ArrayList<>();
			long cost = 0;
			while (!this.queue.isEmpty() && batch.size() < this.limits.maxBatchItems()) {
				Pending<I, O> next = this.queue.peek();
				if (!batch.isEmpty() && cost + next.cost > this.limits.maxBatchCost()) {
					break;
				}
				this.queue.poll();
				this.queuedCost -= next.cost;
				if (!next.future.isDone()) {
					batch.add(next);
					cost += next.cost;
				}
			}
			this.running = batch.size();
			return batch;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean full() {
		return this.queue.size() >= this.limits.maxBatchItems() || this.queuedCost >= this.limits.maxBatchCost();
	}

	private void runBatch(BatchProcessor<I, O> processor, List<Pending<I, O>> batch) {
		if (batch.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		List<I> inputs = new ArrayList<>(batch.size());
		long[] queued = new long[batch.size()];
		long cost = 0;
		for (int i = 0; i < batch.size(); i++) {
			Pending<I, O> p = batch.get(i);
			inputs.add(p.input);
			queued[i] = start - p.enqueuedNanos;
			cost += p.cost;
		}
		try {
			List<O> results = processor.process(inputs);
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).future.complete(results.get(i));
			}
		}
		catch (Throwable ex) {
			log.error("An inference batch of {} inputs failed", batch.size(), ex);
			batch.forEach(p -> p.future.completeExceptionally(ex));
		}
		finally {
			long ran = System.nanoTime() - start;
			this.running = 0;
			this.nanosPerCost = 0.8 * this.nanosPerCost + 0.2 * ((double) ran / Math.max(1, cost));
			this.listener.batchDone(batch.size(), cost, queued, ran);
		}
	}

	/**
	 * Refuses new work, fails what is still queued, lets the running batch finish, and closes the processor on the
	 * engine thread; returns when that is done (or after {@code timeout}).
	 */
	public void close(long timeout, TimeUnit unit) {
		List<Pending<I, O>> dropped;
		this.lock.lock();
		try {
			this.closed = true;
			dropped = new ArrayList<>(this.queue);
			this.queue.clear();
			this.queuedCost = 0;
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		EngineClosedException shutdown = new EngineClosedException();
		dropped.forEach(p -> p.future.completeExceptionally(shutdown));
		try {
			this.engine.join(unit.toMillis(timeout));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		close(30, TimeUnit.SECONDS);
	}

	private record Pending<I, O>(I input, int cost, CompletableFuture<O> future, long enqueuedNanos) {
	}

}
