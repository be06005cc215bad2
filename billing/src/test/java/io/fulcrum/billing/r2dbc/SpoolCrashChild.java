package io.fulcrum.billing.r2dbc;

import java.nio.file.Path;

import io.fulcrum.billing.spool.UsageSpool;

/**
 * The process {@link KilledGatewayLosesNothingSpooledTests} kills: appends usage records to a spooled ledger on
 * PostgreSQL at about 5,000 a second (a busy gateway) and prints, every 10 ms, how many it has appended and how many
 * are spooled.
 * Arguments: the schema, the spool directory.
 */
public final class SpoolCrashChild {

	private SpoolCrashChild() {
	}

	public static void main(String[] args) throws Exception {
		BillingDatabase database = BillingDatabase.open(BillingDatabaseSettings.postgres("127.0.0.1", 5432, "test",
				"postgres", "", args[0]));
		UsageSpool spool = UsageSpool.open(Path.of(args[1]));
		R2dbcUsageLedger ledger = new R2dbcUsageLedger(database.client(), spool);
		long appended = 0;
		while (true) {
			for (int i = 0; i < 50; i++) {
				ledger.append(UsageRecords.record("crash-" + appended++, 1));
			}
			System.out.println("appended " + appended + " spooled " + spool.appended());
			System.out.flush();
			Thread.sleep(10);
		}
	}

}
