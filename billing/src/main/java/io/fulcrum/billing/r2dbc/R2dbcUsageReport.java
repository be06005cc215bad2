package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;

import io.fulcrum.billing.usage.UsageReport;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Totals over the {@code usage_records} table. Every query binds the tenant id, and the range uses the
 * {@code (tenant_id, created_at)} index (or {@code (key_id, created_at)} for one key's spend).
 */
public final class R2dbcUsageReport implements UsageReport {

	/** Days since the epoch in UTC, in SQL both PostgreSQL and H2 understand. */
	private static final String DAY = "FLOOR(EXTRACT(EPOCH FROM created_at) / 86400)";

	private static final String SUMS = "COUNT(DISTINCT request_id) AS requests, "
			+ "COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens, "
			+ "COALESCE(SUM(customer_price), 0) AS cost";

	private final DatabaseClient client;

	public R2dbcUsageReport(DatabaseClient client) {
		this.client = client;
	}

	@Override
	public Flux<UsageTotal> totals(String tenantId, Instant start, Instant end, GroupBy groupBy) {
		String group = switch (groupBy) {
			case DAY -> DAY;
			case KEY -> "key_id";
			case MODEL -> "model_alias";
		};
		return this.client
			.sql("SELECT " + group + " AS grp, " + SUMS + " FROM usage_records WHERE tenant_id = :tenant"
					+ " AND created_at >= :start AND created_at < :end GROUP BY " + group + " ORDER BY grp")
			.bind("tenant", tenantId)
			.bind("start", Columns.timestamp(start))
			.bind("end", Columns.timestamp(end))
			.map(row -> new UsageTotal(groupBy == GroupBy.DAY ? day(row) : Columns.text(row, "grp"),
					number(row, "requests"), number(row, "input_tokens"), number(row, "output_tokens"),
					money(row, "cost")))
			.all();
	}

	@Override
	public Mono<BigDecimal> spent(String tenantId, @Nullable String keyId, Instant start, Instant end) {
		String sql = "SELECT COALESCE(SUM(customer_price), 0) AS cost FROM usage_records WHERE "
				+ (keyId != null ? "key_id = :key AND " : "")
				+ "tenant_id = :tenant AND created_at >= :start AND created_at < :end";
		DatabaseClient.GenericExecuteSpec spec = this.client.sql(sql)
			.bind("tenant", tenantId)
			.bind("start", Columns.timestamp(start))
			.bind("end", Columns.timestamp(end));
		if (keyId != null) {
			spec = spec.bind("key", keyId);
		}
		return spec.map(row -> money(row, "cost")).one();
	}

	@Override
	public Mono<CacheSavings> cacheSavings(String tenantId, Instant start, Instant end) {
		return this.client
			.sql("SELECT COUNT(*) AS hits, COALESCE(SUM(saved_price), 0) AS saved FROM usage_records"
					+ " WHERE tenant_id = :tenant AND status = 'CACHE_HIT' AND created_at >= :start AND created_at < :end")
			.bind("tenant", tenantId)
			.bind("start", Columns.timestamp(start))
			.bind("end", Columns.timestamp(end))
			.map(row -> new CacheSavings(number(row, "hits"), money(row, "saved")))
			.one();
	}

	private static String day(Readable row) {
		Number days = row.get("grp", Number.class);
		long epochDay = days == null ? 0 : days.longValue();
		return java.time.LocalDate.ofEpochDay(epochDay).atStartOfDay(ZoneOffset.UTC).toLocalDate().toString();
	}

	/** Aggregates come back as Long, BigInteger or BigDecimal depending on the database. */
	private static long number(Readable row, String column) {
		Number value = row.get(column, Number.class);
		return value == null ? 0 : value.longValue();
	}

	private static BigDecimal money(Readable row, String column) {
		BigDecimal value = row.get(column, BigDecimal.class);
		return value == null ? BigDecimal.ZERO : value;
	}

}
