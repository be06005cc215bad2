package io.fulcrum.gateway.cache;

import org.jspecify.annotations.Nullable;

/**
 * One partition's vectors, searched exhaustively (exact nearest neighbour by dot product, which is the cosine for
 * unit vectors). Entries are kept in a ring in the order they were stored: with one TTL for all, that is also the
 * order they expire, so expiry drops from the oldest end and, when the partition is full, the oldest entry makes
 * room. The arrays grow by doubling up to {@code capacity}, so a small partition holds little memory. All methods
 * are synchronized; each holds the lock for at most one scan of {@code capacity} vectors.
 */
final class VectorPartition {

	/** A match: the entry's answer and its cosine similarity to the query. */
	record Match(CachedResponse response, double similarity) {
	}

	private final int dimensions;

	private final int capacity;

	private float[] vectors;

	private @Nullable CachedResponse[] responses;

	private long[] expiresAt;

	private int head;

	private int size;

	VectorPartition(int dimensions, int capacity) {
		this.dimensions = dimensions;
		this.capacity = capacity;
		int initial = Math.min(capacity, 16);
		this.vectors = new float[initial * dimensions];
		this.responses = new CachedResponse[initial];
		this.expiresAt = new long[initial];
	}

	/**
	 * Adds an entry expiring at {@code expiresAt} (nanos, same clock as {@code now}), dropping expired entries and, if
	 * still full, the oldest.
	 * @return how the number of entries changed (1, or 0 when the oldest made room, or less after expiry)
	 */
	synchronized int add(float[] vector, CachedResponse response, long now, long expiresAt) {
		if (vector.length != this.dimensions) {
			throw new IllegalArgumentException("vector has " + vector.length + " dimensions, not " + this.dimensions);
		}
		int before = this.size;
		expire(now);
		if (this.size == this.capacity) {
			drop();
		}
		if (this.size == this.responses.length) {
			grow();
		}
		int slot = (this.head + this.size) % this.responses.length;
		System.arraycopy(vector, 0, this.vectors, slot * this.dimensions, this.dimensions);
		this.responses[slot] = response;
		this.expiresAt[slot] = expiresAt;
		this.size++;
		return this.size - before;
	}

	/** The most similar live entry at or above {@code threshold}, or {@code null}. */
	synchronized @Nullable Match nearest(float[] query, double threshold, long now) {
		int length = this.responses.length;
		int best = -1;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < this.size; i++) {
			int slot = (this.head + i) % length;
			if (this.expiresAt[slot] - now <= 0) {
				continue; // expired: dropped by the next expire()
			}
			double score = dot(query, this.vectors, slot * this.dimensions, this.dimensions);
			if (score > bestScore) {
				bestScore = score;
				best = slot;
			}
		}
		if (best < 0 || bestScore < threshold) {
			return null;
		}
		CachedResponse response = this.responses[best];
		return response != null ? new Match(response, bestScore) : null;
	}

	/** Drops expired entries; returns how many. */
	synchronized int expire(long now) {
		int dropped = 0;
		while (this.size > 0 && this.expiresAt[this.head] - now <= 0) {
			drop();
			dropped++;
		}
		return dropped;
	}

	synchronized int size() {
		return this.size;
	}

	private void drop() {
		this.responses[this.head] = null;
		this.head = (this.head + 1) % this.responses.length;
		this.size--;
	}

	private void grow() {
		int length = this.responses.length;
		int grown = Math.min(this.capacity, length * 2);
		float[] vectors = new float[grown * this.dimensions];
		CachedResponse[] responses = new CachedResponse[grown];
		long[] expiresAt = new long[grown];
		for (int i = 0; i < this.size; i++) {
			int slot = (this.head + i) % length;
			System.arraycopy(this.vectors, slot * this.dimensions, vectors, i * this.dimensions, this.dimensions);
			responses[i] = this.responses[slot];
			expiresAt[i] = this.expiresAt[slot];
		}
		this.vectors = vectors;
		this.responses = responses;
		this.expiresAt = expiresAt;
		this.head = 0;
	}

	/** Dot product of {@code query} with the vector at {@code offset}; four accumulators so the JIT can pipeline. */
	static double dot(float[] query, float[] data, int offset, int dimensions) {
		float s0 = 0;
		float s1 = 0;
		float s2 = 0;
		float s3 = 0;
		int i = 0;
		for (; i + 3 < dimensions; i += 4) {
			s0 += query[i] * data[offset + i];
			s1 += query[i + 1] * data[offset + i + 1];
			s2 += query[i + 2] * data[offset + i + 2];
			s3 += query[i + 3] * data[offset + i + 3];
		}
		for (; i < dimensions; i++) {
			s0 += query[i] * data[offset + i];
		}
		return (double) s0 + s1 + s2 + s3;
	}

}
