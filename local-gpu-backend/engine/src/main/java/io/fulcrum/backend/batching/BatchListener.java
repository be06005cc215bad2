package io.fulcrum.backend.batching;

/** Observes a {@link DynamicBatcher}'s batches, for metrics. Called on the engine thread: keep it cheap. */
public interface BatchListener {

	/** A no-op listener. */
	BatchListener NONE = (items, cost, queuedNanos, runNanos) -> {
	};

	/**
	 * @param items inputs in the batch
	 * @param cost their total cost (tokens)
	 * @param queuedNanos how long each input waited before its batch started, in order
	 * @param runNanos how long the batch ran
	 */
	void batchDone(int items, long cost, long[] queuedNanos, long runNanos);

}
