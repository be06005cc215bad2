package io.fulcrum.billing.r2dbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fulcrum.billing.spool.UsageSpool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger with its write-ahead spool, against the real PostgreSQL: an outage loses nothing, and what a process
 * that died had spooled is written by the next one, once.
 */
class SpooledUsageLedgerTests {

	@TempDir
	Path spoolDir;

	private BillingDatabase database;

	/** PostgreSQL as the ledger sees it, unreachable while {@code down} is set. */
	private final AtomicBoolean down = new AtomicBoolean();

	private DatabaseClient client;

	@BeforeEach
	void open() {
		this.database = BillingDatabase.open(TestDatabases.postgres("billing_test_spool"));
		ConnectionFactory real = this.database.client().getConnectionFactory();
		this.client = DatabaseClient.create(new Switchable(real, this.down));
	}

	@AfterEach
	void close() {
		this.database.close();
	}

	@Test
	void recordsWrittenWhilePostgresIsDownAreSpooledAndArriveWhenItIsBack() throws Exception {
		this.down.set(true);
		UsageSpool spool = UsageSpool.open(this.spoolDir);
		try (R2dbcUsageLedger ledger = new R2dbcUsageLedger(this.client, spool, 50, Duration.ofMillis(20),
				Duration.ofSeconds(10))) {
			for (int i = 0; i < 500; i++) {
				ledger.append(UsageRecords.record("req-outage-" + i, 1));
			}
			awaitSpooled(spool, 500);
			assertThat(TestDatabases.count(this.database, "usage_records")).isZero();
			this.down.set(false);
			ledger.flush().block(Duration.ofSeconds(60));
			assertThat(TestDatabases.count(this.database, "usage_records")).isEqualTo(500);
			assertThat(spool.pending().records()).as("checkpointed once written").isEmpty();
		}
	}

	@Test
	void whatADeadProcessSpooledIsWrittenByTheNextOneAndCountedOnce() throws Exception {
		this.down.set(true);
		UsageSpool firstSpool = UsageSpool.open(this.spoolDir);
		// The first process spools 300 records, cannot reach PostgreSQL, and dies without closing anything.
		R2dbcUsageLedger first = new R2dbcUsageLedger(this.client, firstSpool, 64, Duration.ofMillis(20),
				Duration.ofSeconds(1));
		for (int i = 0; i < 300; i++) {
			first.append(UsageRecords.record("req-crash-" + i, 1));
		}
		awaitSpooled(firstSpool, 300);
		// Its death releases the spool's lock (the operating system does that for a killed process).
		firstSpool.close();

		try (R2dbcUsageLedger second = new R2dbcUsageLedger(this.database.client(), UsageSpool.open(this.spoolDir))) {
			second.append(UsageRecords.record("req-after-restart", 1));
			second.flush().block(Duration.ofSeconds(30));
			awaitCount(301);
			// Writing the same records again, as a replay does, changes nothing.
			try (R2dbcUsageLedger third = new R2dbcUsageLedger(this.database.client(),
					UsageSpool.open(this.spoolDir.resolve("copy")))) {
				for (int i = 0; i < 300; i++) {
					third.append(UsageRecords.record("req-crash-" + i, 1));
				}
				third.flush().block(Duration.ofSeconds(30));
			}
			assertThat(TestDatabases.count(this.database, "usage_records")).isEqualTo(301);
		}
		finally {
			first.close();
		}
	}

	private void awaitSpooled(UsageSpool spool, long records) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (spool.appended() < records && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(spool.appended()).as("records spooled").isEqualTo(records);
	}

	private void awaitCount(long records) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (TestDatabases.count(this.database, "usage_records") < records && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(TestDatabases.count(this.database, "usage_records")).isEqualTo(records);
	}

	/** Fails every connection attempt while {@code down} is set, as an unreachable server does. */
	private record Switchable(ConnectionFactory real, AtomicBoolean down) implements ConnectionFactory {

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> this.down.get()
					? Mono.error(new R2dbcTransientResourceException("connection refused (test outage)"))
					: Mono.from(this.real.create()));
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.real.getMetadata();
		}

	}

}
