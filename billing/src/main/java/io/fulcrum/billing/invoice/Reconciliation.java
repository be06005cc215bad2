package io.fulcrum.billing.invoice;

import java.math.BigDecimal;

/**
 * An invoice's total next to the sum of the ledger records it covers, both exact: they match when the invoice
 * billed every covered record once and nothing else.
 *
 * @param invoiceNumber the invoice checked
 * @param invoiceTotal the invoice's exact total
 * @param ledgerSum the sum of the customer prices of the records the invoice covers, read from the ledger
 * @param ledgerRecords how many records those are
 */
public record Reconciliation(String invoiceNumber, BigDecimal invoiceTotal, BigDecimal ledgerSum, long ledgerRecords) {

	/** Whether the totals are equal (in value; scales may differ). */
	public boolean matches() {
		return this.invoiceTotal.compareTo(this.ledgerSum) == 0;
	}

	/** Invoice total minus ledger sum: zero when they match. */
	public BigDecimal difference() {
		return this.invoiceTotal.subtract(this.ledgerSum);
	}

}
