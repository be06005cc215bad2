package io.fulcrum.billing.schema;

import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;

/**
 * Brings a database schema up to the latest billing migration. Blocking: call it once at start-up, before the
 * reactive connections open.
 */
public final class SchemaMigrator {

	/** Where the billing migrations live on the classpath. */
	public static final String LOCATION = "classpath:db/migration";

	/** Lower case only, so that the name means the same quoted (Flyway) and unquoted (our SQL) on both databases. */
	private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private SchemaMigrator() {
	}

	/**
	 * Migrates {@code schema}, creating it when missing. Flyway's own connection is closed when this returns, so
	 * that an H2 file database is free for the next opener.
	 * @throws IllegalArgumentException when {@code schema} is not a lower-case SQL identifier
	 */
	public static void migrate(String jdbcUrl, String user, String password, String schema) {
		requireValidSchemaName(schema);
		Flyway.configure()
			.dataSource(jdbcUrl, user, password)
			.schemas(schema)
			.defaultSchema(schema)
			.createSchemas(true)
			.locations(LOCATION)
			.load()
			.migrate();
	}

	/** Rejects a schema name that would need quoting, or could smuggle SQL into a connection option. */
	public static String requireValidSchemaName(String schema) {
		if (!SCHEMA_NAME.matcher(schema).matches()) {
			throw new IllegalArgumentException("schema must be a lower-case SQL identifier: " + schema);
		}
		return schema;
	}

}
