package io.fulcrum.billing.invoice;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * An invoice as RFC 4180 CSV: a header row, one row per line, then {@code subtotal}, {@code adjustments},
 * {@code total} and {@code amount_due} rows with the amount in the last column. Every row names the invoice, so
 * that files of several invoices can be concatenated.
 */
public final class CsvInvoice {

	private CsvInvoice() {
	}

	public static String render(Invoice invoice) {
		List<String> header = new ArrayList<>(List.of("Invoice", "Tenant", "Period", "Currency"));
		header.addAll(InvoiceFormat.HEADINGS);
		StringWriter out = new StringWriter();
		try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
			.get())) {
			for (InvoiceLine line : invoice.lines()) {
				List<String> row = prefix(invoice);
				row.addAll(InvoiceFormat.cells(line));
				csv.printRecord(row);
			}
			total(csv, invoice, "subtotal", InvoiceFormat.money(invoice.subtotal()));
			total(csv, invoice, "adjustments", InvoiceFormat.money(invoice.adjustments()));
			total(csv, invoice, "total", InvoiceFormat.money(invoice.total()));
			total(csv, invoice, "amount_due", InvoiceFormat.money(invoice.amountDue()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	private static List<String> prefix(Invoice invoice) {
		return new ArrayList<>(List.of(invoice.number(), invoice.tenantId(), invoice.period().toString(),
				invoice.currency()));
	}

	private static void total(CSVPrinter csv, Invoice invoice, String kind, String amount) throws IOException {
		List<String> row = prefix(invoice);
		row.add(kind);
		for (int i = 1; i < InvoiceFormat.HEADINGS.size() - 1; i++) {
			row.add("");
		}
		row.add(amount);
		csv.printRecord(row);
	}

}
