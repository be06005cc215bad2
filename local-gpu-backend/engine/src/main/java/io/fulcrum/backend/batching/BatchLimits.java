package io.fulcrum.backend.batching;

import java.time.Duration;

/**
 * Bounds of a {@link DynamicBatcher}.
 *
 * @param maxBatchItems most inputs in one batch
 * @param maxBatchCost most total cost (tokens) in one batch; a single input above it still runs, alone
 * @param maxWait how long a batch may wait for more inputs once the engine is free; zero runs what is queued
 * at once (under load, inputs queue while a batch runs, so batches form without any added wait)
 * @param maxQueuedItems most inputs waiting; a submission that does not fit is refused whole
 */
public record BatchLimits(int maxBatchItems, long maxBatchCost, Duration maxWait, int maxQueuedItems) {

	public BatchLimits {
		if (maxBatchItems < 1 || maxBatchCost < 1 || maxQueuedItems < 1 || maxWait.isNegative()) {
			throw new IllegalArgumentException("batch limits must be positive: " + maxBatchItems + " items, "
					+ maxBatchCost + " cost, " + maxQueuedItems + " queued, wait " + maxWait);
		}
	}

}
