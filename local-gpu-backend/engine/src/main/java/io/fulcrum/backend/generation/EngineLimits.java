package io.fulcrum.backend.generation;

/**
 * Bounds of a {@link GenerationEngine}.
 *
 * @param maxRunning most sequences in the running batch
 * @param maxStepTokens most tokens one step computes: every running sequence's next token first, then prompt chunks
 * up to this (the prefill chunk size); at least {@code maxRunning}
 * @param maxWaiting most requests waiting to be admitted (every new request waits until the next step, so at least
 * 1); more are refused with {@link io.fulcrum.backend.batching.QueueFullException}
 * @param prefixCaching whether full blocks of identical prompt prefixes are shared between requests
 */
public record EngineLimits(int maxRunning, int maxStepTokens, int maxWaiting, boolean prefixCaching) {

	public EngineLimits {
		if (maxRunning < 1 || maxWaiting < 1 || maxStepTokens < maxRunning) {
			throw new IllegalArgumentException("engine limits need maxRunning >= 1, maxWaiting >= 1 and maxStepTokens"
					+ " >= maxRunning; got " + maxRunning + ", " + maxWaiting + ", " + maxStepTokens);
		}
	}

	/** Defaults for a server: 64 running, 512 tokens a step, 256 waiting, prefix caching on. */
	public static EngineLimits defaults() {
		return new EngineLimits(64, 512, 256, true);
	}

}
