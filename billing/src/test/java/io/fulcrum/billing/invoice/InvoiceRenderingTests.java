package io.fulcrum.billing.invoice;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import io.fulcrum.billing.pricing.Rates;
import io.fulcrum.billing.pricing.TokenPrice;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvoiceRenderingTests {

	private static final Rates RATES = new Rates(new TokenPrice(new BigDecimal("0.15"), new BigDecimal("0.60"),
			new BigDecimal("0.075")), new BigDecimal("0.001"));

	private final Invoice invoice = new Invoice("INV-2026-000042", "ten_<b>&co", YearMonth.of(2026, 3), "USD",
			List.of(new InvoiceLine(InvoiceLine.Kind.USAGE, "chat", "openai-east", "gpt-4o-mini", 2, 3, 1_200_000,
					200_000, 400_000, RATES, new BigDecimal("0.4125000000")),
					new InvoiceLine(InvoiceLine.Kind.USAGE, "smart", "anthropic-west", "claude-haiku", 0, 1, 10, 0, 5,
							null, new BigDecimal("0.0000123456")),
					new InvoiceLine(InvoiceLine.Kind.ADJUSTMENT, "chat", "openai-east", "gpt-4o-mini", 1, 1, 100, 0, 0,
							RATES, new BigDecimal("1.0000000000"))),
			10, 99, Instant.parse("2026-04-01T08:00:00Z"));

	@Test
	void totalsAddTheExactLinesAndOnlyTheAmountDueIsRounded() {
		assertThat(this.invoice.subtotal()).isEqualByComparingTo("0.4125123456");
		assertThat(this.invoice.adjustments()).isEqualByComparingTo("1");
		assertThat(this.invoice.total()).isEqualByComparingTo("1.4125123456");
		assertThat(this.invoice.amountDue()).isEqualTo(new BigDecimal("1.41"));
	}

	@Test
	void pdfReadsBackWithItsNumberLinesAndTotals() throws Exception {
		byte[] pdf = PdfInvoice.render(this.invoice);

		assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
		try (PDDocument document = Loader.loadPDF(pdf)) {
			String text = new PDFTextStripper().getText(document);
			assertThat(text).contains("Invoice INV-2026-000042", "ten_<b>&co", "2026-03", "gpt-4o-mini",
					"claude-haiku", "0.4125", "0.0000123456", "Subtotal: 0.4125123456", "Adjustments: 1.00",
					"Total: 1.4125123456", "Amount due: USD 1.41");
		}
	}

	@Test
	void csvHasOneRowPerLineAndTheTotalsInTheAmountColumn() throws Exception {
		List<CSVRecord> rows = CSVFormat.RFC4180.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(CsvInvoice.render(this.invoice)))
			.getRecords();

		assertThat(rows).extracting((r) -> r.get("Kind"))
			.containsExactly("usage", "usage", "adjustment", "subtotal", "adjustments", "total", "amount_due");
		assertThat(rows).extracting((r) -> r.get("Amount"))
			.containsExactly("0.4125", "0.0000123456", "1.00", "0.4125123456", "1.00", "1.4125123456", "1.41");
		assertThat(rows.get(0).get("Input /1M")).isEqualTo("0.15");
		assertThat(rows.get(0).get("Per request")).isEqualTo("0.001");
		assertThat(rows.get(1).get("Input /1M")).isEmpty();
		assertThat(rows).allSatisfy((r) -> assertThat(r.get("Invoice")).isEqualTo("INV-2026-000042"));
	}

	@Test
	void htmlEscapesTextAndShowsTheTotals() {
		String html = HtmlInvoice.render(this.invoice);

		assertThat(html).contains("ten_&lt;b&gt;&amp;co").doesNotContain("ten_<b>");
		assertThat(html).contains("<h1>Invoice INV-2026-000042</h1>", "1.4125123456", "1.41");
	}

	@Test
	void numbersAreSequentialWithTheYearOfThePeriod() {
		assertThat(InvoiceNumbers.format(YearMonth.of(2026, 12), 1)).isEqualTo("INV-2026-000001");
		assertThat(InvoiceNumbers.format(YearMonth.of(2027, 1), 1_234_567)).isEqualTo("INV-2027-1234567");
	}

}
