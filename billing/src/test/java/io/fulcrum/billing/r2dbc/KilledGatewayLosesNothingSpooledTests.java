package io.fulcrum.billing.r2dbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.fulcrum.billing.spool.UsageSpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process writing usage records is killed with SIGKILL mid-load; the next one, on the same spool, writes what the
 * dead one had spooled. Nothing spooled is lost, nothing is counted twice, and what is lost (appended but not yet
 * spooled) stays within the spool's batching bound.
 */
class KilledGatewayLosesNothingSpooledTests {

	private static final String SCHEMA = "billing_test_crash";

	@TempDir
	Path spoolDir;

	@Test
	void aKilledProcessLosesAtMostItsUnspooledBatchAndTheNextOneWritesTheRest() throws Exception {
		BillingDatabaseSettings settings = TestDatabases.postgres(SCHEMA);
		BillingDatabase.open(settings).close(); // migrate once, before the child races to
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), SpoolCrashChild.class.getName(), SCHEMA,
				this.spoolDir.toString())
			.redirectErrorStream(true)
			.start();
		long appended = 0;
		long spooled = 0;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			String line;
			while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
				if (line.startsWith("appended ")) {
					String[] parts = line.split(" ");
					appended = Long.parseLong(parts[1]);
					spooled = Long.parseLong(parts[3]);
					if (spooled >= 3000) {
						break;
					}
				}
			}
			child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
			child.waitFor(10, TimeUnit.SECONDS);
		}
		assertThat(spooled).as("the child spooled records before it was killed").isGreaterThanOrEqualTo(3000);

		try (BillingDatabase database = BillingDatabase.open(settings);
				R2dbcUsageLedger next = new R2dbcUsageLedger(database.client(), UsageSpool.open(this.spoolDir))) {
			next.flush().block(Duration.ofSeconds(30));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			long written = TestDatabases.count(database, "usage_records");
			while (written < spooled && System.nanoTime() < deadline) {
				Thread.sleep(100);
				written = TestDatabases.count(database, "usage_records");
			}
			System.out.printf("killed after appending %d (%d spooled): %d written by the next process%n", appended,
					spooled, written);
			assertThat(written).as("every record the dead process had spooled is written").isGreaterThanOrEqualTo(
					spooled);
			// The records appended since the last fsync completed: the batch being gathered and what arrived during
			// the fsync.
			assertThat(appended - written).as("lost at the last report: within the spool's batching bound")
				.isLessThanOrEqualTo(3L * R2dbcUsageLedger.MAX_BATCH);
			// It printed its counts a moment before the kill, so a little more than that may have been appended.
			long bound = appended + 2L * R2dbcUsageLedger.MAX_BATCH + 500;
			assertThat(written).as("nothing twice: at most what was appended").isLessThanOrEqualTo(bound);
			Long distinct = database.client()
				.sql("SELECT COUNT(DISTINCT request_id) AS n FROM usage_records")
				.map((row) -> row.get("n", Long.class))
				.one()
				.block();
			assertThat(distinct).isEqualTo(written);
		}
	}

}
