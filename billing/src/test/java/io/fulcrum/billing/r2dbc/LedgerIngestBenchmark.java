package io.fulcrum.billing.r2dbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.fulcrum.billing.spool.UsageSpool;

/**
 * How fast the ledger ingests usage records into the local PostgreSQL, with and without the write-ahead spool:
 * {@code records} appended as fast as possible, timed until the database has them all. Run it with
 * {@code tests/load/ledger-bench.sh}; it is not part of the test suite.
 */
public final class LedgerIngestBenchmark {

	private LedgerIngestBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
		for (boolean spooled : new boolean[] { false, true }) {
			BillingDatabaseSettings settings = TestDatabases.postgres("billing_bench");
			try (BillingDatabase database = BillingDatabase.open(settings)) {
				UsageSpool spool = spooled ? UsageSpool.open(Files.createTempDirectory("ledger-bench")) : null;
				try (R2dbcUsageLedger ledger = new R2dbcUsageLedger(database.client(), spool)) {
					// Warm-up: JIT, connection pool.
					for (int i = 0; i < 20_000; i++) {
						ledger.append(UsageRecords.record("warm-" + i, 1));
					}
					ledger.flush().block(Duration.ofMinutes(2));
					long started = System.nanoTime();
					for (int i = 0; i < records; i++) {
						ledger.append(UsageRecords.record("bench-" + i, 1));
					}
					long appendedNanos = System.nanoTime() - started;
					ledger.flush().block(Duration.ofMinutes(10));
					double seconds = (System.nanoTime() - started) / 1e9;
					System.out.printf(Locale.ROOT,
							"%s: %d records in %.2f s = %.0f records/s; append() %.2f us per record on the caller%n",
							spooled ? "with spool" : "without spool", records, seconds, records / seconds,
							appendedNanos / 1e3 / records);
				}
			}
		}
	}

}
