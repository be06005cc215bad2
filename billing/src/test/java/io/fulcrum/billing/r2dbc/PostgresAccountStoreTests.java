package io.fulcrum.billing.r2dbc;

class PostgresAccountStoreTests extends AccountStoreContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.postgres("billing_test_accounts");
	}

}
