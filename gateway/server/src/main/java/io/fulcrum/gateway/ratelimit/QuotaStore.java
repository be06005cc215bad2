package io.fulcrum.gateway.ratelimit;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where buckets and concurrency leases live: Redis (shared) or this process. Every operation is atomic: a group of
 * buckets is taken all or nothing.
 */
public interface QuotaStore {

	/**
	 * Takes every bucket's cost if every bucket covers it, else none. All buckets of one call must share a hash tag.
	 * @return the levels after the call and, when refused, which bucket refused
	 */
	Mono<TakeResult> take(List<BucketSpec> buckets);

	/** Moves a bucket's level by {@code -delta} (a refund when negative), never above its capacity. */
	Mono<Void> adjust(BucketSpec bucket, long delta);

	/** Enters a concurrency limit: {@code true} when fewer than {@code limit} leases are held. */
	Mono<Boolean> enter(String key, long limit, String leaseId, long leaseMillis);

	/** Leaves a concurrency limit entered with {@code leaseId}. */
	Mono<Void> leave(String key, String leaseId);

	/**
	 * What a take did.
	 *
	 * @param refused index of the first bucket that did not cover its cost, or -1 when all were taken
	 * @param levels each bucket's level after the call
	 */
	record TakeResult(int refused, double[] levels) {

		public boolean allowed() {
			return this.refused < 0;
		}

	}

}
