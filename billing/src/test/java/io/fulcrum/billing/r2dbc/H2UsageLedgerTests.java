package io.fulcrum.billing.r2dbc;

class H2UsageLedgerTests extends UsageLedgerContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.h2();
	}

}
