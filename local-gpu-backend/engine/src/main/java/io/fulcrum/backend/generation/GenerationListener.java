package io.fulcrum.backend.generation;

/**
 * Observes the engine, for metrics; called on the engine thread, so implementations must be quick. Every method
 * has an empty default.
 */
public interface GenerationListener {

	/** A step ran: the batch's shape and how long it took. */
	default void step(int sequences, int tokens, long nanos) {
	}

	/** The queue changed: requests running, waiting, and the fraction of cache blocks in use. */
	default void load(int running, int waiting, double cacheUsage) {
	}

	/** A request's first token came, {@code nanos} after it was submitted. */
	default void firstToken(long nanos) {
	}

	/** A later token came, {@code nanos} after the one before it. */
	default void nextToken(long nanos) {
	}

	/** A request ended, {@code nanos} after it was submitted. */
	default void finished(FinishReason reason, GenerationUsage usage, long nanos) {
	}

	/** A running request was preempted: its cache blocks were taken back and it will be recomputed. */
	default void preempted() {
	}

	/**
	 * A request was admitted for the first time: its prompt was looked up in the prefix cache and
	 * {@code cachedTokens} of its {@code promptTokens} were found there.
	 */
	default void admitted(int promptTokens, int cachedTokens) {
	}

}
