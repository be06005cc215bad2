package io.fulcrum.gateway.ratelimit;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An admitted request's hold on its limits: the token buckets it reserved from (settled to actual usage when it
 * ends) and the concurrency leases it must give back.
 *
 * @param reservedTokens tokens reserved in each token bucket
 * @param tokenBuckets the token buckets, to settle
 * @param leases concurrency leases: keys of the sorted sets, all under {@code leaseId}
 * @param leaseId this request's lease id
 * @param status the most specific limits' state after admission, for response headers
 */
public record Admission(long reservedTokens, List<BucketSpec> tokenBuckets, List<String> leases, String leaseId,
		@Nullable RateLimitStatus status) {

	/** Nothing held: no limit applies. */
	public static final Admission NONE = new Admission(0, List.of(), List.of(), "", null);

}
