package io.fulcrum.billing.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's closed month: immutable once written. Amounts are exact sums of the ledger's customer prices (10
 * decimal places); only the amount due is rounded, once, to cents with {@link RoundingMode#HALF_EVEN}, so that the
 * total can be reconciled with the ledger exactly.
 *
 * @param number the sequential invoice number, e.g. {@code INV-2026-000001}
 * @param tenantId the tenant billed
 * @param period the calendar month billed, in UTC
 * @param currency ISO 4217 code of every amount (price books are in US dollars)
 * @param lines usage lines first, then adjustments, in the order they are shown
 * @param previousSeq the highest ledger sequence the tenant's previous invoice saw (0 for the first)
 * @param highWaterSeq the highest ledger sequence this invoice saw; later records go to the next invoice
 * @param closedAt when the period was closed
 */
public record Invoice(String number, String tenantId, YearMonth period, String currency, List<InvoiceLine> lines,
		long previousSeq, long highWaterSeq, Instant closedAt) {

	/** Cents. */
	public static final int DUE_SCALE = 2;

	public Invoice {
		Objects.requireNonNull(number, "number");
		Objects.requireNonNull(tenantId, "tenantId");
		Objects.requireNonNull(period, "period");
		Objects.requireNonNull(currency, "currency");
		Objects.requireNonNull(closedAt, "closedAt");
		lines = List.copyOf(lines);
	}

	/** The first instant of the period. */
	public Instant periodStart() {
		return period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
	}

	/** The first instant after the period. */
	public Instant periodEnd() {
		return period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
	}

	/** Lines for usage of the period. */
	public List<InvoiceLine> usageLines() {
		return this.lines.stream().filter((l) -> l.kind() == InvoiceLine.Kind.USAGE).toList();
	}

	/** Lines for late usage of earlier periods. */
	public List<InvoiceLine> adjustmentLines() {
		return this.lines.stream().filter((l) -> l.kind() == InvoiceLine.Kind.ADJUSTMENT).toList();
	}

	/** The sum of the usage lines, exact. */
	public BigDecimal subtotal() {
		return sum(usageLines());
	}

	/** The sum of the adjustment lines, exact. */
	public BigDecimal adjustments() {
		return sum(adjustmentLines());
	}

	/** Subtotal plus adjustments, exact: what reconciliation compares with the ledger. */
	public BigDecimal total() {
		return sum(this.lines);
	}

	/** The total rounded to cents, half-even: what the tenant pays. */
	public BigDecimal amountDue() {
		return total().setScale(DUE_SCALE, RoundingMode.HALF_EVEN);
	}

	private static BigDecimal sum(List<InvoiceLine> lines) {
		BigDecimal sum = BigDecimal.ZERO;
		for (InvoiceLine line : lines) {
			sum = sum.add(line.amount());
		}
		return sum;
	}

}
