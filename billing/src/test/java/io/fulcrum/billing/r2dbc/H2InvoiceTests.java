package io.fulcrum.billing.r2dbc;

class H2InvoiceTests extends InvoiceContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.h2();
	}

}
