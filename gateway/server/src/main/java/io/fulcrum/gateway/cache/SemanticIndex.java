package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The semantic cache's vectors: one {@link VectorPartition} per {@link SemanticQuery.Partition} (tenant, alias and
 * the request without its last user message), so a search only ever sees entries of the same tenant and alias whose
 * every other field matched exactly. Bounded per partition ({@code maxPerPartition}, the oldest makes room) and in
 * total ({@code maxEntries}: when reached, expired entries are swept from every partition, and if that frees
 * nothing the new entry is not stored). Entries expire {@code ttl} after they were stored. A partition is scanned
 * exhaustively while small and searched through a Lucene HNSW graph from {@code exactScanBelow} entries up (see
 * {@link VectorPartition}).
 */
public final class SemanticIndex {

	private final ConcurrentHashMap<SemanticQuery.Partition, VectorPartition> partitions = new ConcurrentHashMap<>();

	private final AtomicLong entries = new AtomicLong();

	private final int dimensions;

	private final long ttlNanos;

	private final int maxPerPartition;

	private final long maxEntries;

	private final LongSupplier nanoTime;

	private final int exactScanBelow;

	public SemanticIndex(int dimensions, Duration ttl, int maxPerPartition, long maxEntries) {
		this(dimensions, ttl, maxPerPartition, maxEntries, VectorPartition.DEFAULT_EXACT_BELOW);
	}

	/**
	 * @param exactScanBelow partitions with fewer entries are scanned exhaustively, larger ones searched through an
	 * HNSW graph ({@link Integer#MAX_VALUE}: always the exact scan)
	 */
	public SemanticIndex(int dimensions, Duration ttl, int maxPerPartition, long maxEntries, int exactScanBelow) {
		this(dimensions, ttl, maxPerPartition, maxEntries, exactScanBelow, System::nanoTime);
	}

	SemanticIndex(int dimensions, Duration ttl, int maxPerPartition, long maxEntries, LongSupplier nanoTime) {
		this(dimensions, ttl, maxPerPartition, maxEntries, VectorPartition.DEFAULT_EXACT_BELOW, nanoTime);
	}

	SemanticIndex(int dimensions, Duration ttl, int maxPerPartition, long maxEntries, int exactScanBelow,
			LongSupplier nanoTime) {
		this.exactScanBelow = exactScanBelow;
		this.dimensions = dimensions;
		this.ttlNanos = ttl.toNanos();
		this.maxPerPartition = maxPerPartition;
		this.maxEntries = maxEntries;
		this.nanoTime = nanoTime;
	}

	/** Stores an entry; returns whether it was stored (not when the total bound is reached even after a sweep). */
	public boolean add(SemanticQuery.Partition partition, float[] vector, CachedResponse response) {
		long now = this.nanoTime.getAsLong();
		if (this.entries.get() >= this.maxEntries) {
			sweep();
			if (this.entries.get() >= this.maxEntries) {
				return false;
			}
		}
		float[] unit = normalised(vector);
		this.partitions.compute(partition, (key, existing) -> {
			VectorPartition target = existing != null ? existing
					: new VectorPartition(this.dimensions, this.maxPerPartition, this.exactScanBelow);
			this.entries.addAndGet(target.add(unit, response, now, now + this.ttlNanos));
			return target;
		});
		return true;
	}

	/** The nearest live entry of {@code partition} with a cosine similarity of at least {@code threshold}. */
	public VectorPartition.@Nullable Match nearest(SemanticQuery.Partition partition, float[] vector,
			double threshold) {
		VectorPartition found = this.partitions.get(partition);
		if (found == null) {
			return null;
		}
		long now = this.nanoTime.getAsLong();
		int expired = found.expire(now);
		if (expired > 0) {
			this.entries.addAndGet(-expired);
		}
		return found.nearest(normalised(vector), threshold, now);
	}

	/** Removes every entry of {@code tenantId}; returns how many. */
	public long purgeTenant(String tenantId) {
		long purged = 0;
		for (SemanticQuery.Partition key : this.partitions.keySet()) {
			if (key.tenantId().equals(tenantId)) {
				VectorPartition removed = this.partitions.remove(key);
				if (removed != null) {
					int size = removed.size();
					this.entries.addAndGet(-size);
					purged += size;
				}
			}
		}
		return purged;
	}

	/** Drops expired entries everywhere, and partitions left empty. */
	public void sweep() {
		long now = this.nanoTime.getAsLong();
		for (SemanticQuery.Partition key : this.partitions.keySet()) {
			this.partitions.computeIfPresent(key, (k, partition) -> {
				this.entries.addAndGet(-partition.expire(now));
				return partition.size() == 0 ? null : partition;
			});
		}
	}

	/** Live entries, near enough (expired ones count until a search, a store or a sweep drops them). */
	public long entries() {
		return this.entries.get();
	}

	int partitions() {
		return this.partitions.size();
	}

	@Nullable VectorPartition partition(SemanticQuery.Partition partition) {
		return this.partitions.get(partition);
	}

	private static float[] normalised(float[] vector) {
		double norm = 0;
		for (float v : vector) {
			norm += (double) v * v;
		}
		if (norm == 0 || Math.abs(norm - 1) < 1e-4) {
			return vector;
		}
		float scale = (float) (1 / Math.sqrt(norm));
		float[] out = new float[vector.length];
		for (int i = 0; i < vector.length; i++) {
			out[i] = vector[i] * scale;
		}
		return out;
	}

}
