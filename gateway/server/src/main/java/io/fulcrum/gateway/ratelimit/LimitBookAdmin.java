package io.fulcrum.gateway.ratelimit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fulcrum.admin.api.RateLimitAdmin;

/** The admin API's view of the limiter's {@link LimitBook}: read it, or replace it whole. */
public final class LimitBookAdmin implements RateLimitAdmin {

	private final RateLimiter limiter;

	public LimitBookAdmin(RateLimiter limiter) {
		this.limiter = limiter;
	}

	@Override
	public Map<String, Map<String, Limit>> limits() {
		LimitBook book = this.limiter.book();
		Map<String, Map<String, Limit>> out = new LinkedHashMap<>();
		out.put("keys", toAdmin(book.keys()));
		out.put("tenants", toAdmin(book.tenants()));
		out.put("models", toAdmin(book.models()));
		out.put("deployments", toAdmin(book.deployments()));
		return out;
	}

	@Override
	public void replace(Map<String, Map<String, Limit>> limits) {
		this.limiter.book(new LimitBook(fromAdmin(limits.get("keys")), fromAdmin(limits.get("tenants")),
				fromAdmin(limits.get("models")), fromAdmin(limits.get("deployments"))));
	}

	private static Map<String, Limit> toAdmin(Map<String, Limits> limits) {
		Map<String, Limit> out = new LinkedHashMap<>();
		limits.forEach((id, limit) -> out.put(id,
				new Limit(limit.requestsPerMinute(), limit.tokensPerMinute(), limit.concurrentRequests())));
		return out;
	}

	private static Map<String, Limits> fromAdmin(Map<String, Limit> limits) {
		Map<String, Limits> out = new HashMap<>();
		if (limits != null) {
			limits.forEach((id, limit) -> out.put(id,
					new Limits(limit.requestsPerMinute(), limit.tokensPerMinute(), limit.concurrentRequests())));
		}
		return out;
	}

}
