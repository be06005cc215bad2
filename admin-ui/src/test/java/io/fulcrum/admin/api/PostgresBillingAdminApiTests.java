package io.fulcrum.admin.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;

/** The billing routes on the local PostgreSQL, in a schema of their own dropped before each test. */
class PostgresBillingAdminApiTests extends BillingAdminApiTests {

	private static final String SCHEMA = "admin_test_billing";

	@Override
	BillingDatabaseSettings settings() {
		BillingDatabaseSettings settings = BillingDatabaseSettings.postgres("127.0.0.1", 5432, "test", "postgres", "",
				SCHEMA);
		try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
				settings.password()); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for these tests", ex);
		}
		return settings;
	}

}
