package io.fulcrum.backend.batching;

import java.util.List;

/**
 * What a {@link DynamicBatcher}'s engine thread runs: one call per batch. Created on that thread and used only
 * there, so it may own thread-bound state such as a CUDA context.
 *
 * @param <I> one input (one sequence to embed)
 * @param <O> its result
 */
public interface BatchProcessor<I, O> extends AutoCloseable {

	/** Processes a batch; returns one result per input, in order. */
	List<O> process(List<I> batch);

	/** Frees what the processor holds; called on the engine thread when the batcher closes. */
	@Override
	void close();

}
