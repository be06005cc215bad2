package io.fulcrum.gateway.ratelimit;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An admitted request's hold on its limits, per hash-tag group: the token buckets it reserved from (settled to
 * actual usage when it ends) and the concurrency leases it must give back.
 *
 * @param reservedTokens tokens reserved in each token bucket
 * @param groups what it holds, one entry per atomic group
 * @param leaseId this request's lease id
 * @param status the most specific limits' state after admission, for response headers
 */
public record Admission(long reservedTokens, List<Held> groups, String leaseId, @Nullable RateLimitStatus status) {

	/** Nothing held: no limit applies. */
	public static final Admission NONE = new Admission(0, List.of(), "", null);

	/**
	 * What a request holds in one group.
	 *
	 * @param tokenBuckets the token buckets it reserved from
	 * @param leases the concurrency leases it entered
	 */
	public record Held(List<BucketSpec> tokenBuckets, List<QuotaStore.LeaseSpec> leases) {
	}

}
