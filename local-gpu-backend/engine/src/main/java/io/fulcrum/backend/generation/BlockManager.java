package io.fulcrum.backend.generation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which blocks of the paged key/value cache are in use, by whom, and which hold a reusable prompt prefix.
 * <p>
 * Blocks are handed out one at a time as sequences grow and counted by reference: a block full of tokens can be
 * shared by every sequence whose tokens up to and including that block are identical ({@link #lookup}). A full
 * block is {@linkplain #publish published} under a key naming its tokens and the content of all blocks before it,
 * so a match is exact, never a hash guess. When its last user releases it, a published block is not wiped: it stays
 * findable until the space is needed, and is then the least recently used such block that gives way. Only the
 * engine thread calls this class.
 */
final class BlockManager {

	/** Exact identity of a full block's contents: the identity of everything before it, and its own tokens. */
	private record ContentKey(long parent, int[] tokens) {

		@Override
		public boolean equals(Object other) {
			return other instanceof ContentKey key && key.parent == this.parent && Arrays.equals(key.tokens, this.tokens);
		}

		@Override
		public int hashCode() {
			return Long.hashCode(this.parent) * 31 + Arrays.hashCode(this.tokens);
		}

	}

	/** Identity of "no blocks before this one". */
	static final long ROOT = 0;

	private final int blocks;

	private final int blockSize;

	private final boolean prefixCaching;

	private final int[] references;

	/** Content identity of each published block (0 when not published); never reused, so children stay exact. */
	private final long[] contentIds;

	private final @Nullable ContentKey[] keys;

	private final ArrayDeque<Integer> free = new ArrayDeque<>();

	/** Published blocks nobody uses, least recently released first. */
	private final LinkedHashMap<Integer, Boolean> idle = new LinkedHashMap<>();

	private final Map<ContentKey, Integer> published = new HashMap<>();

	private long nextContentId = 1;

	private int inUse;

	BlockManager(int blocks, int blockSize, boolean prefixCaching) {
		this.blocks = blocks;
		this.blockSize = blockSize;
		this.prefixCaching = prefixCaching;
		this.references = new int[blocks];
		this.contentIds = new long[blocks];
		this.keys = new ContentKey[blocks];
		for (int b = 0; b < blocks; b++) {
			this.free.add(b);
		}
	}

	int blockSize() {
		return this.blockSize;
	}

	int totalBlocks() {
		return this.blocks;
	}

	/** Blocks that can be handed out now (free, or idle and evictable). */
	int available() {
		return this.blocks - this.inUse;
	}

	/** Fraction of blocks in use by running sequences (vLLM's KV-cache usage). */
	double usage() {
		return (double) this.inUse / this.blocks;
	}

	/** Blocks needed to hold {@code tokens} tokens. */
	int blocksFor(int tokens) {
		return (tokens + this.blockSize - 1) / this.blockSize;
	}

	/** Takes a block for a sequence; -1 when none is left. */
	int allocate() {
		Integer block = this.free.poll();
		if (block == null) {
			var oldest = this.idle.keySet().iterator();
			if (!oldest.hasNext()) {
				return -1;
			}
			block = oldest.next();
			oldest.remove();
			forget(block);
		}
		this.references[block] = 1;
		this.inUse++;
		return block;
	}

	/** Gives back one reference to {@code block}. */
	void release(int block) {
		if (--this.references[block] > 0) {
			return;
		}
		this.inUse--;
		if (this.contentIds[block] != 0) {
			this.idle.put(block, Boolean.TRUE);
		}
		else {
			this.free.add(block);
		}
	}

	/**
	 * Finds published blocks holding {@code tokens[0 .. k * blockSize)} for the largest {@code k <= maxBlocks}, takes
	 * a reference to each and writes them to {@code into}.
	 * @return {@code k}
	 */
	int lookup(int[] tokens, int maxBlocks, int[] into) {
		if (!this.prefixCaching) {
			return 0;
		}
		long parent = ROOT;
		int found = 0;
		while (found < maxBlocks) {
			int[] chunk = Arrays.copyOfRange(tokens, found * this.blockSize, (found + 1) * this.blockSize);
			Integer block = this.published.get(new ContentKey(parent, chunk));
			if (block == null) {
				break;
			}
			if (this.references[block]++ == 0) {
				this.idle.remove(block);
				this.inUse++;
			}
			into[found++] = block;
			parent = this.contentIds[block];
		}
		return found;
	}

	/**
	 * Publishes {@code block}, now full with {@code tokens[index * blockSize ..]}, after a block of content
	 * {@code parent}; returns its content identity (the parent of the next). If an identical block is already
	 * published this one stays private and the existing identity is returned.
	 */
	long publish(int block, long parent, int[] tokens, int index) {
		if (!this.prefixCaching) {
			return ROOT;
		}
		if (this.contentIds[block] != 0) {
			return this.contentIds[block];
		}
		ContentKey key = new ContentKey(parent,
				Arrays.copyOfRange(tokens, index * this.blockSize, (index + 1) * this.blockSize));
		Integer existing = this.published.get(key);
		if (existing != null) {
			return this.contentIds[existing];
		}
		this.contentIds[block] = this.nextContentId++;
		this.keys[block] = key;
		this.published.put(key, block);
		return this.contentIds[block];
	}

	/** The content identity of a published block (what {@link #publish} returned for it). */
	long contentId(int block) {
		return this.contentIds[block];
	}

	private void forget(int block) {
		this.published.remove(this.keys[block]);
		this.keys[block] = null;
		this.contentIds[block] = 0;
	}

}
