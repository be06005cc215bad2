package io.fulcrum.billing.r2dbc;

class PostgresUsageLedgerTests extends UsageLedgerContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.postgres("billing_test_ledger");
	}

}
