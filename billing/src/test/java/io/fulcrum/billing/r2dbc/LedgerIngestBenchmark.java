package io.fulcrum.billing.r2dbc;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.fulcrum.billing.spool.UsageSpool;

/**
 * How fast the ledger ingests usage records into the local PostgreSQL (or, with {@code h2} as the second argument,
 * the embedded default's H2 files), with and without the write-ahead spool: {@code records} appended as fast as
 * possible, timed until the database has them all. Run it with {@code tests/load/ledger-bench.sh}; it is not part
 * of the test suite.
 */
public final class LedgerIngestBenchmark {

	private LedgerIngestBenchmark() {
	}

	/** CPU time of this whole process (every thread): what the ledger costs the core it shares with the gateway. */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	public static void main(String[] args) throws Exception {
		int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
		boolean h2 = args.length > 1 && args[1].equals("h2");
		for (boolean spooled : new boolean[] { false, true }) {
			BillingDatabaseSettings settings = h2
					? BillingDatabaseSettings.embedded(Files.createTempDirectory("ledger-bench-h2"))
					: TestDatabases.postgres("billing_bench");
			try (BillingDatabase database = BillingDatabase.open(settings)) {
				UsageSpool spool = spooled ? UsageSpool.open(Files.createTempDirectory("ledger-bench")) : null;
				try (R2dbcUsageLedger ledger = new R2dbcUsageLedger(database.client(), spool)) {
					// Warm-up: JIT, connection pool.
					for (int i = 0; i < 50_000; i++) {
						ledger.append(UsageRecords.record("warm-" + i, 1));
					}
					ledger.flush().block(Duration.ofMinutes(2));
					long cpuBefore = processCpuNanos();
					long started = System.nanoTime();
					for (int i = 0; i < records; i++) {
						ledger.append(UsageRecords.record("bench-" + i, 1));
					}
					long appendedNanos = System.nanoTime() - started;
					ledger.flush().block(Duration.ofMinutes(10));
					double seconds = (System.nanoTime() - started) / 1e9;
					double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / records;
					System.out.printf(Locale.ROOT,
							"%s, %s: %d records in %.2f s = %.0f records/s; append() %.2f us per record on the caller; "
									+ "%.1f us of this process's CPU per record%n",
							h2 ? "H2" : "PostgreSQL", spooled ? "with spool" : "without spool", records, seconds,
							records / seconds, appendedNanos / 1e3 / records, cpuMicros);
				}
			}
		}
	}

}
