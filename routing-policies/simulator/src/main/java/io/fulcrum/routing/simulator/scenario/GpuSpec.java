package io.fulcrum.routing.simulator.scenario;

/**
 * A local GPU backend with continuous batching (vLLM-like): up to {@code maxBatch} requests run at once, each
 * decoding at a speed that falls as the batch grows; the rest wait in a queue.
 *
 * @param maxBatch requests decoded together at most
 * @param prefillTokensPerSecond prompt tokens processed per second for one request
 * @param batchSizes batch sizes of the throughput curve, increasing, starting at 1 or more
 * @param tokensPerSecond per-request decode speed at each of {@code batchSizes}; linear in between, flat beyond
 * @param queueLimit requests allowed to wait; more are refused at once (503)
 * @param kvCacheTokens KV-cache capacity in tokens, for the reported cache use, or 0 when unknown
 * @param jitter log-spread of a request's prefill and decode time around the curve (noise, not load)
 * @param baseTtftSeconds fixed time to first token on top of prefill (network, scheduling)
 */
public record GpuSpec(int maxBatch, double prefillTokensPerSecond, double[] batchSizes, double[] tokensPerSecond,
		int queueLimit, long kvCacheTokens, double jitter, double baseTtftSeconds) {

	/** Per-request decode speed with {@code batch} requests running. */
	public double decodeTokensPerSecond(int batch) {
		int b = Math.max(1, batch);
		if (b <= this.batchSizes[0]) {
			return this.tokensPerSecond[0];
		}
		for (int i = 1; i < this.batchSizes.length; i++) {
			if (b <= this.batchSizes[i]) {
				double share = (b - this.batchSizes[i - 1]) / (this.batchSizes[i] - this.batchSizes[i - 1]);
				return this.tokensPerSecond[i - 1] + share * (this.tokensPerSecond[i] - this.tokensPerSecond[i - 1]);
			}
		}
		return this.tokensPerSecond[this.tokensPerSecond.length - 1];
	}

}
