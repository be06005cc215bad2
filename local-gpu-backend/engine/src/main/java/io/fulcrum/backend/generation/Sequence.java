package io.fulcrum.backend.generation;

import java.util.Arrays;

/**
 * One request inside the engine: its tokens so far (prompt, then generated), how many of them have keys and values
 * in the cache, and the cache blocks that hold them. Touched only by the engine thread, except {@link #cancel()}.
 */
final class Sequence implements GenerationHandle {

	final GenerationRequest request;

	final TokenSink sink;

	final Sampler sampler;

	final long submittedNanos;

	private final Runnable wakeEngine;

	int[] tokens;

	int length;

	/** Tokens whose keys and values are in the cache. */
	int computed;

	int[] blockTable = new int[4];

	int blockCount;

	/** Leading blocks published to the prefix cache, and the content identity of the last of them. */
	int publishedBlocks;

	long lastContentId = BlockManager.ROOT;

	int generated;

	int cachedPromptTokens;

	long lastTokenNanos;

	/** Whether it has left the waiting count (it may wait again after a preemption). */
	boolean admitted;

	/** Whether the prefix cache should be searched before its next admission (first admission, or after preemption). */
	boolean needsLookup = true;

	private volatile boolean cancelled;

	Sequence(GenerationRequest request, TokenSink sink, long seed, long submittedNanos, Runnable wakeEngine) {
		this.request = request;
		this.sink = sink;
		this.sampler = new Sampler(request.sampling(), seed);
		this.submittedNanos = submittedNanos;
		this.wakeEngine = wakeEngine;
		this.tokens = Arrays.copyOf(request.prompt(), request.prompt().length + 16);
		this.length = request.prompt().length;
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		this.wakeEngine.run();
	}

	boolean cancelled() {
		return this.cancelled;
	}

	int promptLength() {
		return this.request.prompt().length;
	}

	/** Tokens still to run through the model (1 for a decoding sequence: the token it just sampled). */
	int pending() {
		return this.length - this.computed;
	}

	void append(int token) {
		if (this.length == this.tokens.length) {
			this.tokens = Arrays.copyOf(this.tokens, this.tokens.length * 2);
		}
		this.tokens[this.length++] = token;
		this.generated++;
	}

	void addBlock(int block) {
		if (this.blockCount == this.blockTable.length) {
			this.blockTable = Arrays.copyOf(this.blockTable, this.blockTable.length * 2);
		}
		this.blockTable[this.blockCount++] = block;
	}

	GenerationUsage usage() {
		return new GenerationUsage(promptLength(), this.generated, this.cachedPromptTokens);
	}

}
