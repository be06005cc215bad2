package io.fulcrum.billing.invoice;

import java.util.List;

/** An invoice as a self-contained HTML page (inline style, no scripts); every text is escaped. */
public final class HtmlInvoice {

	private HtmlInvoice() {
	}

	public static String render(Invoice invoice) {
		StringBuilder html = new StringBuilder(4096);
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoice ")
			.append(escape(invoice.number()))
			.append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
					+ "td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}</style></head><body>\n")
			.append("<h1>Invoice ").append(escape(invoice.number())).append("</h1>\n<dl>")
			.append("<dt>Tenant</dt><dd>").append(escape(invoice.tenantId())).append("</dd>")
			.append("<dt>Period</dt><dd>").append(invoice.period()).append(" (")
			.append(invoice.periodStart()).append(" to ").append(invoice.periodEnd()).append(", UTC)</dd>")
			.append("<dt>Currency</dt><dd>").append(escape(invoice.currency())).append("</dd>")
			.append("<dt>Closed</dt><dd>").append(invoice.closedAt()).append("</dd></dl>\n");
		table(html, "Usage", invoice.usageLines());
		table(html, "Adjustments: late usage of earlier periods", invoice.adjustmentLines());
		html.append("<table class=\"totals\">")
			.append(row("Subtotal", InvoiceFormat.money(invoice.subtotal())))
			.append(row("Adjustments", InvoiceFormat.money(invoice.adjustments())))
			.append(row("Total", InvoiceFormat.money(invoice.total())))
			.append(row("Amount due (" + invoice.currency() + ", rounded to cents)",
					InvoiceFormat.money(invoice.amountDue())))
			.append("</table>\n</body></html>\n");
		return html.toString();
	}

	private static void table(StringBuilder html, String title, List<InvoiceLine> lines) {
		html.append("<h2>").append(escape(title)).append("</h2>\n");
		if (lines.isEmpty()) {
			html.append("<p>None.</p>\n");
			return;
		}
		html.append("<table><tr>");
		for (String heading : InvoiceFormat.HEADINGS.subList(1, InvoiceFormat.HEADINGS.size())) {
			html.append("<th>").append(escape(heading)).append("</th>");
		}
		html.append("</tr>\n");
		for (InvoiceLine line : lines) {
			html.append("<tr>");
			List<String> cells = InvoiceFormat.cells(line);
			for (int i = 1; i < cells.size(); i++) {
				html.append(i >= 5 ? "<td class=\"n\">" : "<td>").append(escape(cells.get(i))).append("</td>");
			}
			html.append("</tr>\n");
		}
		html.append("</table>\n");
	}

	private static String row(String label, String amount) {
		return "<tr><th>" + escape(label) + "</th><td class=\"n\">" + escape(amount) + "</td></tr>";
	}

	static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '&' -> out.append("&amp;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

}
