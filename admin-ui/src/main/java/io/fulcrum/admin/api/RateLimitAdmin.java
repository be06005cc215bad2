package io.fulcrum.admin.api;

import java.util.Map;

/**
 * The gateway's rate limits as the admin API reads and replaces them: by scope ({@code keys}, {@code tenants},
 * {@code models}, {@code deployments}), then by id ({@code default} for every id not listed).
 */
public interface RateLimitAdmin {

	/** The scopes limits can be set for. */
	java.util.List<String> SCOPES = java.util.List.of("keys", "tenants", "models", "deployments");

	/** The limits in force. */
	Map<String, Map<String, Limit>> limits();

	/** Replaces every limit at once; requests already admitted settle against what they took. */
	void replace(Map<String, Map<String, Limit>> limits);

	/**
	 * One scope's limits; 0 is unlimited.
	 *
	 * @param requestsPerMinute requests per minute
	 * @param tokensPerMinute input plus output tokens per minute
	 * @param concurrentRequests requests in flight at once
	 */
	record Limit(long requestsPerMinute, long tokensPerMinute, long concurrentRequests) {
	}

}
