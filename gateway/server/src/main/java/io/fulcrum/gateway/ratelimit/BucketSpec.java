package io.fulcrum.gateway.ratelimit;

/**
 * One bucket a request draws from.
 *
 * @param key the bucket's storage key (its hash tag keeps related buckets on one Redis Cluster slot)
 * @param capacity what it holds when full, per minute
 * @param cost what this request takes (0 only reads it)
 * @param reserve what must be left after the take: held back for more urgent requests (0 for them)
 */
public record BucketSpec(String key, long capacity, long cost, long reserve) {

	public BucketSpec(String key, long capacity, long cost) {
		this(key, capacity, cost, 0);
	}

}
