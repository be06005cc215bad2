package io.fulcrum.billing.r2dbc;

class PostgresInvoiceTests extends InvoiceContract {

	@Override
	BillingDatabaseSettings settings() {
		return TestDatabases.postgres("billing_test_invoices");
	}

}
