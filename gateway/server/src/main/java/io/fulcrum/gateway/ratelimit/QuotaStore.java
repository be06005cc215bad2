package io.fulcrum.gateway.ratelimit;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where buckets and concurrency leases live: Redis (shared) or this process. Each call is one atomic step over a
 * group of buckets and leases that share a hash tag (one Redis round trip, one Redis Cluster slot).
 */
public interface QuotaStore {

	/**
	 * Takes every bucket's cost and enters every lease under {@code leaseId} if all of them have room, else nothing.
	 * @return the buckets' levels after the call and, when refused, which bucket or lease refused
	 */
	Mono<TakeResult> take(List<BucketSpec> buckets, List<LeaseSpec> leases, String leaseId, long leaseMillis);

	/**
	 * Moves each bucket's level by {@code -deltas[i]} (a refund when negative; never above its capacity) and leaves
	 * the leases held under {@code leaseId}.
	 */
	Mono<Void> settle(List<BucketSpec> buckets, long[] deltas, List<LeaseSpec> leases, String leaseId);

	/**
	 * A concurrency limit.
	 *
	 * @param key the sorted set of leases
	 * @param limit leases held at most
	 */
	record LeaseSpec(String key, long limit) {
	}

	/**
	 * What a take did.
	 *
	 * @param refused the first bucket (index into the buckets) or lease (index after the buckets) without room, or -1
	 * when everything was taken
	 * @param levels each bucket's level after the call
	 */
	record TakeResult(int refused, double[] levels) {

		public boolean allowed() {
			return this.refused < 0;
		}

	}

}
