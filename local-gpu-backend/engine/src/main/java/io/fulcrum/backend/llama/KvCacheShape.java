package io.fulcrum.backend.llama;

/**
 * The paged key/value cache a model allocates: {@code blocks} blocks of {@code blockSize} token slots, each slot
 * holding every layer's keys and values for one token. Block 0 is as usable as any other; which blocks a sequence
 * owns is the engine's business ({@link DecodeBatch#blockTables()}).
 *
 * @param blocks number of blocks
 * @param blockSize token slots per block
 */
public record KvCacheShape(int blocks, int blockSize) {

	public KvCacheShape {
		if (blocks < 1 || blockSize < 1) {
			throw new IllegalArgumentException("a cache needs at least one block of one slot");
		}
	}

	/** Bytes the cache takes for a model of this configuration, with {@code bytesPerValue} per stored value. */
	public long bytes(LlamaConfig config, int bytesPerValue) {
		return 2L * config.layers() * this.blocks * this.blockSize * config.kvDim() * bytesPerValue;
	}

}
