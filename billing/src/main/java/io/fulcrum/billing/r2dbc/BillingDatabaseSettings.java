package io.fulcrum.billing.r2dbc;

import java.nio.file.Path;
import java.util.Objects;

import io.fulcrum.billing.schema.SchemaMigrator;

/**
 * Where the billing database is. Flyway needs JDBC and the stores need R2DBC, so both URLs point at the same
 * database; neither names the schema, which {@link BillingDatabase} applies to each connection.
 *
 * @param r2dbcUrl the reactive connection URL, without credentials
 * @param jdbcUrl the JDBC URL of the same database, used for migrations only
 * @param user the database user
 * @param password the user's password
 * @param schema the schema holding the billing tables, created when missing; a lower-case SQL identifier
 * @param poolSize the most connections the pool keeps open
 */
public record BillingDatabaseSettings(String r2dbcUrl, String jdbcUrl, String user, String password, String schema,
		int poolSize) {

	/** The schema used when none is named. */
	public static final String DEFAULT_SCHEMA = "billing";

	/** Enough for the ledger writer plus the admin API and key lookups that miss the gateway's cache. */
	public static final int DEFAULT_POOL_SIZE = 8;

	/**
	 * H2 behaves like PostgreSQL as far as our SQL goes: lower-case unquoted names and nulls sorted last.
	 * AUTO_SERVER stays off: one process owns an embedded database.
	 */
	private static final String H2_OPTIONS = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

	public BillingDatabaseSettings {
		Objects.requireNonNull(r2dbcUrl, "r2dbcUrl");
		Objects.requireNonNull(jdbcUrl, "jdbcUrl");
		Objects.requireNonNull(user, "user");
		Objects.requireNonNull(password, "password");
		SchemaMigrator.requireValidSchemaName(schema);
		if (poolSize < 1) {
			throw new IllegalArgumentException("poolSize must be at least 1");
		}
	}

	/** An H2 database in files under {@code directory}, which survives restarts. */
	public static BillingDatabaseSettings embedded(Path directory) {
		String file = directory.toAbsolutePath().resolve("billing").toString();
		String options = H2_OPTIONS + ";AUTO_SERVER=FALSE";
		// Three slashes and an absolute path: r2dbc-h2 reads what follows the host as the file name.
		return new BillingDatabaseSettings("r2dbc:h2:file:///" + file + "?options=" + options,
				"jdbc:h2:file:" + file + ";" + options, "sa", "", DEFAULT_SCHEMA, DEFAULT_POOL_SIZE);
	}

	/** An H2 database in memory, kept until the JVM exits; {@code name} tells databases in one JVM apart. */
	public static BillingDatabaseSettings inMemory(String name) {
		String options = H2_OPTIONS + ";DB_CLOSE_DELAY=-1";
		return new BillingDatabaseSettings("r2dbc:h2:mem:///" + name + "?options=" + options,
				"jdbc:h2:mem:" + name + ";" + options, "sa", "", DEFAULT_SCHEMA, DEFAULT_POOL_SIZE);
	}

	/** A PostgreSQL database. */
	public static BillingDatabaseSettings postgres(String host, int port, String database, String user,
			String password, String schema) {
		return new BillingDatabaseSettings("r2dbc:postgresql://" + host + ":" + port + "/" + database,
				"jdbc:postgresql://" + host + ":" + port + "/" + database, user, password, schema,
				DEFAULT_POOL_SIZE);
	}

	/** The same database with the billing tables in another schema. */
	public BillingDatabaseSettings withSchema(String schema) {
		return new BillingDatabaseSettings(this.r2dbcUrl, this.jdbcUrl, this.user, this.password, schema,
				this.poolSize);
	}

	/** The same database with another pool size. */
	public BillingDatabaseSettings withPoolSize(int poolSize) {
		return new BillingDatabaseSettings(this.r2dbcUrl, this.jdbcUrl, this.user, this.password, this.schema,
				poolSize);
	}

	/** Leaves the password out. */
	@Override
	public String toString() {
		return "BillingDatabaseSettings[r2dbcUrl=" + this.r2dbcUrl + ", jdbcUrl=" + this.jdbcUrl + ", user="
				+ this.user + ", schema=" + this.schema + ", poolSize=" + this.poolSize + "]";
	}

}
