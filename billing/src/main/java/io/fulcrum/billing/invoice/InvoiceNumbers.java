package io.fulcrum.billing.invoice;

import java.time.YearMonth;

/**
 * Invoice numbers: {@code INV-<year of the period>-<counter, six digits or more>}. The counter is one per Fulcrum
 * installation and never restarts, so numbers are unique and, in closing order, sequential without gaps.
 */
public final class InvoiceNumbers {

	private InvoiceNumbers() {
	}

	/** The number of the {@code counter}-th invoice, which bills {@code period}. */
	public static String format(YearMonth period, long counter) {
		if (counter < 1) {
			throw new IllegalArgumentException("invoice counters start at 1");
		}
		return String.format("INV-%04d-%06d", period.getYear(), counter);
	}

}
