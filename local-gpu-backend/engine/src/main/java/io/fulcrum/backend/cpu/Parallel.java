package io.fulcrum.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs independent pieces of one forward pass on a fixed pool of worker threads (the model's own, not the
 * common pool, so a busy server's other work cannot starve a pass and a pass cannot starve it).
 */
public final class Parallel implements AutoCloseable {

	private final @Nullable ForkJoinPool pool;

	private final int threads;

	public Parallel(int threads) {
		this.threads = threads;
		this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
	}

	public int threads() {
		return this.threads;
	}

	/** Runs {@code body} for every index in {@code [0, n)}, spread over the workers; returns when all are done. */
	public void forEach(int n, IntConsumer body) {
		if (this.pool == null || n == 1) {
			for (int i = 0; i < n; i++) {
				body.accept(i);
			}
			return;
		}
		this.pool.invoke(new Range(0, n, body));
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.shutdown();
		}
	}

	private static final class Range extends RecursiveAction {

		private final int from;

		private final int to;

		private final IntConsumer body;

		Range(int from, int to, IntConsumer body) {
			this.from = from;
			this.to = to;
			this.body = body;
		}

		@Override
		protected void compute() {
			if (this.to - this.from == 1) {
				this.body.accept(this.from);
				return;
			}
			int mid = (this.from + this.to) >>> 1;
			ForkJoinTask.invokeAll(new Range(this.from, mid, this.body), new Range(mid, this.to, this.body));
		}

	}

}
