package io.fulcrum.billing.r2dbc;

import java.time.Duration;

import io.fulcrum.billing.schema.SchemaMigrator;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The billing database, migrated and behind a connection pool whose connections all work in the billing schema.
 * Close it after the stores that use it.
 */
public final class BillingDatabase implements AutoCloseable {

	/** r2dbc-postgresql sets {@code search_path} from this option when it connects. */
	private static final Option<String> POSTGRES_SCHEMA = Option.valueOf("schema");

	/** r2dbc-h2 appends these, {@code ;}-separated, to the H2 URL. */
	private static final Option<String> H2_OPTIONS = Option.valueOf("options");

	/**
	 * A database that is down or saturated must fail a query with a clear error, not hold a request: well within a
	 * client's patience. The ledger writer retries (or spools) on its own.
	 */
	private static final Duration MAX_ACQUIRE_TIME = Duration.ofSeconds(10);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionPool pool;

	private final DatabaseClient client;

	private BillingDatabase(ConnectionPool pool) {
		this.pool = pool;
		this.client = DatabaseClient.create(pool);
	}

	/**
	 * Migrates the schema over JDBC (blocking), then opens the pool. Connections open lazily, so a database that
	 * Flyway could reach but R2DBC cannot shows up on the first query.
	 */
	public static BillingDatabase open(BillingDatabaseSettings settings) {
		SchemaMigrator.migrate(settings.jdbcUrl(), settings.user(), settings.password(), settings.schema());
		ConnectionPoolConfiguration configuration = ConnectionPoolConfiguration
			.builder(ConnectionFactories.get(connectionOptions(settings)))
			.name("fulcrum-billing")
			.initialSize(0)
			.maxSize(settings.poolSize())
			.maxAcquireTime(MAX_ACQUIRE_TIME)
			.build();
		return new BillingDatabase(new ConnectionPool(configuration));
	}

	/** The client for the billing schema; bind markers follow the database's dialect. */
	public DatabaseClient client() {
		return this.client;
	}

	/** Closes every pooled connection; waits a bounded time for them. */
	@Override
	public void close() {
		this.pool.disposeLater().block(CLOSE_TIMEOUT);
	}

	/** The URL's options plus credentials and the schema, in the form the URL's driver understands. */
	static ConnectionFactoryOptions connectionOptions(BillingDatabaseSettings settings) {
		ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(settings.r2dbcUrl());
		ConnectionFactoryOptions.Builder options = parsed.mutate()
			.option(ConnectionFactoryOptions.USER, settings.user())
			.option(ConnectionFactoryOptions.PASSWORD, settings.password());
		Object driver = parsed.getRequiredValue(ConnectionFactoryOptions.DRIVER);
		if ("h2".equals(driver)) {
			Object h2Options = parsed.getValue(H2_OPTIONS);
			String schema = "SCHEMA=" + settings.schema();
			options.option(H2_OPTIONS, (h2Options != null) ? h2Options + ";" + schema : schema);
		}
		else if ("postgresql".equals(driver)) {
			options.option(POSTGRES_SCHEMA, settings.schema());
		}
		else {
			throw new IllegalArgumentException("billing supports PostgreSQL and H2, not " + driver);
		}
		return options.build();
	}

}
