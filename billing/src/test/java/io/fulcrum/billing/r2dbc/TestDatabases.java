package io.fulcrum.billing.r2dbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;

/** Settings of the databases the contract tests run against, and helpers to reset them. */
final class TestDatabases {

	private TestDatabases() {
	}

	/** A fresh in-memory H2 database, private to the caller. */
	static BillingDatabaseSettings h2() {
		return BillingDatabaseSettings.inMemory("billing-" + UUID.randomUUID());
	}

	/**
	 * The local PostgreSQL with {@code schema} dropped first, so that every run starts from the migration. Each
	 * test class uses its own schema; the gateway's tests use others.
	 */
	static BillingDatabaseSettings postgres(String schema) {
		BillingDatabaseSettings settings = BillingDatabaseSettings.postgres("127.0.0.1", 5432, "test", "postgres",
				"", schema);
		try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
				settings.password()); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for these tests", ex);
		}
		return settings;
	}

	/** Empties every billing table, children first. */
	static void clean(BillingDatabase database) {
		for (String table : new String[] { "invoice_lines", "invoices", "price_book_entries", "tenant_price_list",
				"tenant_pricing", "usage_records", "api_keys", "tenants" }) {
			database.client().sql("DELETE FROM " + table).then().block();
		}
		database.client().sql("UPDATE invoice_counter SET last_number = 0").then().block();
	}

	static long count(BillingDatabase database, String table) {
		Long count = database.client()
			.sql("SELECT COUNT(*) AS n FROM " + table)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block();
		return Objects.requireNonNull(count, "count");
	}

}
