package io.fulcrum.billing.schema;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that already holds usage records: V2 must give each of them a sequence number (or no invoice
 * would ever cover them) and price version 0, and new records must get higher sequence numbers.
 */
class PriceBookMigrationTests {

	private static final String INSERT = "INSERT INTO usage_records (request_id, attempt, tenant_id, key_id, "
			+ "model_alias, deployment_id, upstream_model, estimated, provider_cost, customer_price, status, "
			+ "duration_ms, created_at) VALUES ('%s', 1, 't', 'k', 'a', 'd', 'm', FALSE, 0.1, 0.1, 'SUCCESS', 1, "
			+ "TIMESTAMP WITH TIME ZONE '2026-03-01 00:00:00+00')";

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgres" })
	void recordsWrittenBeforeV2GetASequenceAndPriceVersionZero(String database) throws Exception {
		String schema = "billing_test_v2_upgrade";
		String url = database.equals("h2")
				? "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1"
				: "jdbc:postgresql://127.0.0.1:5432/test";
		String user = database.equals("h2") ? "sa" : "postgres";
		try (Connection connection = DriverManager.getConnection(url, user, "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			flyway(url, user, schema).target("1").load().migrate();
			statement.execute(database.equals("h2") ? "SET SCHEMA " + schema : "SET search_path TO " + schema);
			statement.execute(String.format(INSERT, "old-1"));
			statement.execute(String.format(INSERT, "old-2"));

			SchemaMigrator.migrate(url, user, "", schema);
			statement.execute(String.format(INSERT, "new-1"));

			List<String> rows = new ArrayList<>();
			try (ResultSet result = statement
				.executeQuery("SELECT request_id, seq, price_version FROM usage_records ORDER BY seq")) {
				while (result.next()) {
					rows.add(result.getString(1) + ":" + (result.getObject(2) != null) + ":" + result.getInt(3));
				}
			}
			assertThat(rows.subList(0, 2)).containsExactlyInAnyOrder("old-1:true:0", "old-2:true:0");
			assertThat(rows.get(2)).isEqualTo("new-1:true:0");
			statement.execute("DROP SCHEMA " + schema + " CASCADE");
		}
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, String user,
			String schema) {
		return Flyway.configure()
			.dataSource(url, user, "")
			.schemas(schema)
			.defaultSchema(schema)
			.createSchemas(true)
			.locations(SchemaMigrator.LOCATION);
	}

}
