package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;

/** Maps {@link UsageRecord}s to and from rows of {@code usage_records}. */
final class UsageRows {

	/**
	 * Idempotent on the primary key, the table's only unique constraint. No conflict target: H2's PostgreSQL mode
	 * accepts {@code ON CONFLICT DO NOTHING} but not {@code ON CONFLICT (columns)}. {@code $n} markers work with
	 * both drivers.
	 */
	static final String INSERT = """
			INSERT INTO usage_records (request_id, attempt, tenant_id, key_id, model_alias, deployment_id,
				upstream_model, input_tokens, cached_input_tokens, output_tokens, estimated, provider_cost,
				customer_price, status, ttft_ms, duration_ms, created_at, price_version, saved_price)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			ON CONFLICT DO NOTHING""";

	static final String SELECT_BY_REQUEST = """
			SELECT request_id, attempt, tenant_id, key_id, model_alias, deployment_id, upstream_model, input_tokens,
				cached_input_tokens, output_tokens, estimated, provider_cost, customer_price, status, ttft_ms,
				duration_ms, created_at, price_version, saved_price
			FROM usage_records WHERE request_id = :requestId ORDER BY attempt""";

	private UsageRows() {
	}

	/** Columns per record in {@link #INSERT}. */
	static final int COLUMNS = 19;

	/**
	 * One statement inserting {@code rows} records: a multi-row {@code VALUES}, so that a batch costs one statement
	 * execution instead of one per record.
	 */
	static String insert(int rows) {
		StringBuilder sql = new StringBuilder(INSERT.substring(0, INSERT.indexOf("VALUES")) + "VALUES ");
		for (int row = 0; row < rows; row++) {
			sql.append(row == 0 ? "(" : ", (");
			for (int column = 1; column <= COLUMNS; column++) {
				sql.append(column == 1 ? "$" : ", $").append(row * COLUMNS + column);
			}
			sql.append(')');
		}
		return sql.append(" ON CONFLICT DO NOTHING").toString();
	}

	/** Binds one record to the markers of {@link #INSERT}. */
	static void bind(Statement statement, UsageRecord record) {
		bind(statement, 0, record);
	}

	/** Binds one record to the markers from {@code first} on ({@code first} = row x {@link #COLUMNS}). */
	static void bind(Statement statement, int first, UsageRecord record) {
		TokenUsage usage = record.usage();
		statement.bind(first, record.requestId())
			.bind(first + 1, record.attempt())
			.bind(first + 2, record.tenantId())
			.bind(first + 3, record.keyId())
			.bind(first + 4, record.modelAlias())
			.bind(first + 5, record.deploymentId())
			.bind(first + 6, record.upstreamModel());
		bindNullable(statement, first + 7, usage.inputTokens());
		bindNullable(statement, first + 8, usage.cachedInputTokens());
		bindNullable(statement, first + 9, usage.outputTokens());
		statement.bind(first + 10, usage.estimated())
			.bind(first + 11, record.providerCost())
			.bind(first + 12, record.customerPrice())
			.bind(first + 13, record.status().name());
		bindNullable(statement, first + 14, record.ttftMillis());
		// PostgreSQL keeps microseconds; truncating here makes both databases read back the same instant.
		statement.bind(first + 15, record.durationMillis())
			.bind(first + 16, Columns.timestamp(record.createdAt().truncatedTo(ChronoUnit.MICROS)))
			.bind(first + 17, record.priceVersion())
			.bind(first + 18, record.savedPrice());
	}

	static UsageRecord read(Readable row) {
		TokenUsage usage = new TokenUsage(Columns.optionalNumber(row, "input_tokens"),
				Columns.optionalNumber(row, "cached_input_tokens"), Columns.optionalNumber(row, "output_tokens"),
				Columns.flag(row, "estimated"));
		BigDecimal providerCost = Columns.money(row, "provider_cost");
		BigDecimal customerPrice = Columns.money(row, "customer_price");
		return new UsageRecord(Columns.text(row, "request_id"), Columns.integer(row, "attempt"),
				Columns.text(row, "tenant_id"), Columns.text(row, "key_id"), Columns.text(row, "model_alias"),
				Columns.text(row, "deployment_id"), Columns.text(row, "upstream_model"), usage, providerCost,
				customerPrice, UsageStatus.valueOf(Columns.text(row, "status")),
				Columns.optionalNumber(row, "ttft_ms"), Columns.number(row, "duration_ms"),
				Columns.instant(row, "created_at"), Columns.integer(row, "price_version"),
				Columns.money(row, "saved_price"));
	}

	private static void bindNullable(Statement statement, int index, @Nullable Long value) {
		if (value != null) {
			statement.bind(index, value);
		}
		else {
			statement.bindNull(index, Long.class);
		}
	}

}
