package io.fulcrum.backend.encoder.cuda;

import io.fulcrum.backend.bert.BertConfig;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

/**
 * The forward pass's activations on the device, sized for a number of tokens and sequences and regrown (to the
 * next power of two, so a slowly rising batch size does not reallocate every time) when a batch needs more.
 * All are {@code [tokens, width]} row-major with the batch's sequences packed one after another.
 */
final class WorkBuffers {

	private final BertConfig config;

	private final DeviceMemory memory;

	private int tokenCapacity;

	private int sequenceCapacity;

	/** ids[tokens], positions[tokens], seqStart[sequences + 1], in one buffer so one copy uploads a batch. */
	CUdeviceptr ints = new CUdeviceptr();

	CUdeviceptr hidden = new CUdeviceptr();

	CUdeviceptr qkv = new CUdeviceptr();

	CUdeviceptr context = new CUdeviceptr();

	CUdeviceptr projected = new CUdeviceptr();

	CUdeviceptr attended = new CUdeviceptr();

	CUdeviceptr intermediate = new CUdeviceptr();

	CUdeviceptr pooled = new CUdeviceptr();

	WorkBuffers(BertConfig config, DeviceMemory memory, int tokens, int sequences) {
		this.config = config;
		this.memory = memory;
		allocate(tokens, sequences);
	}

	/** Makes room for a batch of this many tokens and sequences. */
	void ensure(int tokens, int sequences) {
		if (tokens > this.tokenCapacity || sequences > this.sequenceCapacity) {
			int newTokens = Math.max(this.tokenCapacity, nextPowerOfTwo(tokens));
			int newSequences = Math.max(this.sequenceCapacity, nextPowerOfTwo(sequences));
			release();
			allocate(newTokens, newSequences);
		}
	}

	static int nextPowerOfTwo(int n) {
		return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
	}

	int tokenCapacity() {
		return this.tokenCapacity;
	}

	private void allocate(int tokens, int sequences) {
		int h = this.config.hidden();
		long t = Math.max(tokens, 1);
		long f = Sizeof.FLOAT;
		this.ints = this.memory.allocate((2 * t + sequences + 1) * Sizeof.INT, "token ids");
		this.hidden = this.memory.allocate(t * h * f, "hidden states");
		this.qkv = this.memory.allocate(t * 3 * h * f, "q, k, v");
		this.context = this.memory.allocate(t * h * f, "attention context");
		this.projected = this.memory.allocate(t * h * f, "projections");
		this.attended = this.memory.allocate(t * h * f, "attention output");
		this.intermediate = this.memory.allocate(t * this.config.intermediate() * f, "feed-forward");
		this.pooled = this.memory.allocate((long) sequences * h * f, "embeddings");
		this.tokenCapacity = tokens;
		this.sequenceCapacity = sequences;
	}

	private void release() {
		for (CUdeviceptr p : new CUdeviceptr[] { this.ints, this.hidden, this.qkv, this.context, this.projected,
				this.attended, this.intermediate, this.pooled }) {
			this.memory.free(p);
		}
		// Until allocate succeeds, nothing is held: a failed regrow leaves no stale capacity behind.
		this.tokenCapacity = 0;
		this.sequenceCapacity = 0;
	}

}
