package io.fulcrum.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Read side of the ledger: totals of one tenant's usage over a time range. Every query is scoped to one tenant, so
 * that no caller can read another tenant's data through it.
 */
public interface UsageReport {

	/**
	 * The tenant's totals in {@code [start, end)}, one row per group, ordered by the group's value.
	 * @param groupBy how to split the totals
	 */
	Flux<UsageTotal> totals(String tenantId, Instant start, Instant end, GroupBy groupBy);

	/**
	 * What the tenant (when {@code keyId} is null) or one of its keys was charged in {@code [start, end)}, at the
	 * customer price; zero when nothing was recorded.
	 */
	Mono<BigDecimal> spent(String tenantId, @Nullable String keyId, Instant start, Instant end);

	/**
	 * The tenant's response-cache hits in {@code [start, end)} and what they saved: the sum of their records'
	 * {@code savedPrice}, what the tenant would have been charged had each gone to a provider.
	 */
	Mono<CacheSavings> cacheSavings(String tenantId, Instant start, Instant end);

	/** Cache hits and their savings, at the customer price. */
	record CacheSavings(long hits, BigDecimal savedUsd) {
	}

	/** How {@link #totals} splits a range. */
	enum GroupBy {

		/** Calendar days in UTC; the group is {@code YYYY-MM-DD}. */
		DAY,

		/** App key id. */
		KEY,

		/** Model alias the client asked for. */
		MODEL;

		/** {@code day}, {@code key} or {@code model}. */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * One group's totals. Attempts that failed count as requests only through the attempt that served them: a
	 * request is counted once, by its records' distinct request ids.
	 *
	 * @param group the day, key id or model alias
	 * @param requests distinct requests
	 * @param inputTokens prompt tokens (reported or estimated)
	 * @param outputTokens generated tokens
	 * @param costUsd what the tenant was charged
	 */
	record UsageTotal(String group, long requests, long inputTokens, long outputTokens, BigDecimal costUsd) {
	}

}
