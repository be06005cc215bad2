package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Instant;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;

/** Usage records for tests. */
final class UsageRecords {

	/** Microseconds, as the databases keep them. */
	static final Instant CREATED_AT = Instant.parse("2026-03-01T12:34:56.123456Z");

	private UsageRecords() {
	}

	static UsageRecord record(String requestId, int attempt) {
		return new UsageRecord(requestId, attempt, "ten_1", "key_1", "chat-default", "openai-east", "gpt-4o-mini",
				TokenUsage.exact(1_200, 200, 350), new BigDecimal("0.0003900000"), new BigDecimal("0.0004875123"),
				UsageStatus.SUCCESS, 180L, 2_400L, CREATED_AT, 3);
	}

	static UsageRecord failedAttempt(String requestId, int attempt) {
		return new UsageRecord(requestId, attempt, "ten_1", "key_1", "chat-default", "anthropic-west",
				"claude-haiku", new TokenUsage(null, null, null, false), BigDecimal.ZERO, BigDecimal.ZERO,
				UsageStatus.FAILED_ATTEMPT, null, 35L, CREATED_AT, 0);
	}

}
