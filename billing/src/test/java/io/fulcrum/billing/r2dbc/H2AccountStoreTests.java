package io.fulcrum.billing.r2dbc;

class H2AccountStoreTests extends AccountStoreContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.h2();
	}

}
