package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.Enforcement;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.billing.usage.UsageReport.GroupBy;
import io.fulcrum.billing.usage.UsageReport.UsageTotal;
import io.fulcrum.billing.usage.UsageStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgets (migration V4) and the usage report, on H2 and on the local PostgreSQL alike. */
class BudgetsAndUsageReportTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static BillingDatabase open(String database) {
		return BillingDatabase.open(database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres("budgets_it"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgres" })
	void storesReplacesAndDeletesOneBudgetPerSubject(String database) {
		try (BillingDatabase db = open(database)) {
			R2dbcBudgetStore store = new R2dbcBudgetStore(db.client());
			store.put(new Budget(BudgetScope.TENANT, "ten_1", new BigDecimal("50.00"), BudgetPeriod.MONTH,
					Enforcement.HARD, new BigDecimal("0.8"))).block(WAIT);
			store.put(new Budget(BudgetScope.TENANT, "ten_1", new BigDecimal("12.5"), BudgetPeriod.DAY,
					Enforcement.SOFT, new BigDecimal("0.75"))).block(WAIT);
			store.put(new Budget(BudgetScope.KEY, "key_1", new BigDecimal("0.000000001"), BudgetPeriod.DAY,
					Enforcement.HARD, BigDecimal.ONE)).block(WAIT);
			List<Budget> all = store.all().collectList().block(WAIT);
			assertThat(all).hasSize(2);
			Budget tenant = store.find(BudgetScope.TENANT, "ten_1").block(WAIT);
			assertThat(tenant).isNotNull();
			assertThat(tenant.amountUsd()).isEqualByComparingTo("12.5");
			assertThat(tenant.period()).isEqualTo(BudgetPeriod.DAY);
			assertThat(tenant.enforcement()).isEqualTo(Enforcement.SOFT);
			assertThat(tenant.alertThreshold()).isEqualByComparingTo("0.75");
			assertThat(store.find(BudgetScope.KEY, "key_1").block(WAIT).amountUsd()).isEqualByComparingTo("1E-9");
			assertThat(store.delete(BudgetScope.KEY, "key_1").block(WAIT)).isTrue();
			assertThat(store.delete(BudgetScope.KEY, "key_1").block(WAIT)).isFalse();
			assertThat(store.find(BudgetScope.KEY, "key_1").block(WAIT)).isNull();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgres" })
	void totalsOneTenantsUsageByDayKeyAndModelAndNeverAnotherTenants(String database) {
		try (BillingDatabase db = open(database)) {
			R2dbcUsageLedger ledger = new R2dbcUsageLedger(db.client());
			ledger.append(record("r1", 1, "ten_a", "key_a1", "chat", "0.25", "2026-11-01T23:59:59Z", UsageStatus.SUCCESS));
			ledger.append(record("r2", 1, "ten_a", "key_a1", "chat", "0", "2026-11-02T00:00:00Z",
					UsageStatus.FAILED_ATTEMPT));
			ledger.append(record("r2", 2, "ten_a", "key_a1", "chat", "0.5", "2026-11-02T00:00:01Z", UsageStatus.SUCCESS));
			ledger.append(record("r3", 1, "ten_a", "key_a2", "embed", "1", "2026-11-30T12:00:00Z", UsageStatus.SUCCESS));
			ledger.append(record("r4", 1, "ten_a", "key_a2", "embed", "7", "2026-12-01T00:00:00Z", UsageStatus.SUCCESS));
			ledger.append(record("r5", 1, "ten_b", "key_b1", "chat", "100", "2026-11-05T00:00:00Z", UsageStatus.SUCCESS));
			ledger.flush().block(WAIT);
			R2dbcUsageReport report = new R2dbcUsageReport(db.client());
			Instant start = Instant.parse("2026-11-01T00:00:00Z");
			Instant end = Instant.parse("2026-12-01T00:00:00Z");

			List<UsageTotal> byDay = report.totals("ten_a", start, end, GroupBy.DAY).collectList().block(WAIT);
			assertThat(byDay).extracting(UsageTotal::group).containsExactly("2026-11-01", "2026-11-02", "2026-11-30");
			assertThat(byDay).extracting(UsageTotal::requests).containsExactly(1L, 1L, 1L);
			assertThat(byDay.get(1).costUsd()).isEqualByComparingTo("0.5");
			assertThat(byDay.get(1).inputTokens()).as("the failed attempt used none").isEqualTo(10);

			List<UsageTotal> byKey = report.totals("ten_a", start, end, GroupBy.KEY).collectList().block(WAIT);
			assertThat(byKey).extracting(UsageTotal::group).containsExactly("key_a1", "key_a2");
			assertThat(byKey.get(0).costUsd()).isEqualByComparingTo("0.75");
			assertThat(byKey.get(0).requests()).isEqualTo(2);

			List<UsageTotal> byModel = report.totals("ten_a", start, end, GroupBy.MODEL).collectList().block(WAIT);
			assertThat(byModel).extracting(UsageTotal::group).containsExactly("chat", "embed");

			assertThat(report.spent("ten_a", null, start, end).block(WAIT)).isEqualByComparingTo("1.75");
			assertThat(report.spent("ten_a", "key_a2", start, end).block(WAIT)).isEqualByComparingTo("1");
			assertThat(report.spent("ten_b", null, start, end).block(WAIT)).isEqualByComparingTo("100");
			assertThat(report.spent("ten_c", null, start, end).block(WAIT)).isEqualByComparingTo("0");
			ledger.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgres" })
	void cacheSavingsAreTheTenantsCacheHitsAndWhatTheySaved(String database) {
		try (BillingDatabase db = open(database)) {
			R2dbcUsageLedger ledger = new R2dbcUsageLedger(db.client());
			Instant at = Instant.parse("2026-11-03T10:00:00Z");
			ledger.append(record("s1", 1, "ten_s", "key_s", "chat", "0.4", "2026-11-03T09:00:00Z", UsageStatus.SUCCESS));
			ledger.append(hit("s2", "ten_s", "0.4", at));
			ledger.append(hit("s3", "ten_s", "0.15", at));
			ledger.append(hit("s4", "ten_other", "9", at));
			ledger.flush().block(WAIT);
			UsageRecord read = ledger.findByRequestId("s2").blockFirst(WAIT);
			assertThat(read.status()).isEqualTo(UsageStatus.CACHE_HIT);
			assertThat(read.savedPrice()).isEqualByComparingTo("0.4");
			UsageReport.CacheSavings savings = new R2dbcUsageReport(db.client())
				.cacheSavings("ten_s", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))
				.block(WAIT);
			assertThat(savings.hits()).isEqualTo(2);
			assertThat(savings.savedUsd()).isEqualByComparingTo("0.55");
		}
	}

	private static UsageRecord hit(String requestId, String tenant, String saved, Instant at) {
		return new UsageRecord(requestId, 1, tenant, "key_s", "chat", "cache", "gpt", TokenUsage.exact(10, 0, 5),
				BigDecimal.ZERO, BigDecimal.ZERO, UsageStatus.CACHE_HIT, 1L, 1L, at, 0, new BigDecimal(saved));
	}

	private static UsageRecord record(String requestId, int attempt, String tenant, String key, String model,
			String price, String at, UsageStatus status) {
		return new UsageRecord(requestId, attempt, tenant, key, model, "dep", "upstream",
				status == UsageStatus.SUCCESS ? TokenUsage.exact(10, 0, 5) : TokenUsage.NONE, new BigDecimal(price),
				new BigDecimal(price), status, null, 10, Instant.parse(at), 0);
	}

}
