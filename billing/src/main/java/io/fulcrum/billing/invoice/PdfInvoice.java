package io.fulcrum.billing.invoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * An invoice as a PDF (Apache PDFBox): landscape A4 pages, the usage table, the adjustments table, then the
 * totals. Uses the standard Helvetica fonts, so nothing is embedded; text outside printable ASCII is shown as
 * {@code ?}, since those fonts cannot encode it.
 */
public final class PdfInvoice {

	private static final float MARGIN = 30;

	private static final float FONT_SIZE = 7.5f;

	private static final float LEADING = 11;

	/** Widths of the columns after the first heading ("Kind"), which the section titles replace. */
	private static final float[] WIDTHS = { 95, 80, 95, 35, 40, 55, 55, 55, 45, 45, 45, 45, 90 };

	private PdfInvoice() {
	}

	public static byte[] render(Invoice invoice) {
		try (PDDocument document = new PDDocument()) {
			Writer writer = new Writer(document);
			writer.text(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 14, MARGIN,
					"Invoice " + invoice.number());
			writer.newLine(LEADING * 1.6f);
			writer.plain("Tenant: " + invoice.tenantId() + "    Period: " + invoice.period() + " (UTC)    Currency: "
					+ invoice.currency() + "    Closed: " + invoice.closedAt());
			writer.newLine(LEADING * 2);
			section(writer, "Usage", invoice.usageLines());
			section(writer, "Adjustments: late usage of earlier periods", invoice.adjustmentLines());
			writer.plain("Subtotal: " + InvoiceFormat.money(invoice.subtotal()));
			writer.newLine(LEADING);
			writer.plain("Adjustments: " + InvoiceFormat.money(invoice.adjustments()));
			writer.newLine(LEADING);
			writer.plain("Total: " + InvoiceFormat.money(invoice.total()));
			writer.newLine(LEADING);
			writer.text(writer.bold, FONT_SIZE + 2, MARGIN, "Amount due: " + invoice.currency() + " "
					+ InvoiceFormat.money(invoice.amountDue()) + " (rounded to cents, half-even)");
			writer.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			document.save(out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void section(Writer writer, String title, List<InvoiceLine> lines) throws IOException {
		writer.text(writer.bold, FONT_SIZE + 2, MARGIN, title);
		writer.newLine(LEADING * 1.3f);
		if (lines.isEmpty()) {
			writer.plain("None.");
			writer.newLine(LEADING * 2);
			return;
		}
		writer.row(InvoiceFormat.HEADINGS, true);
		for (InvoiceLine line : lines) {
			writer.row(InvoiceFormat.cells(line), false);
		}
		writer.newLine(LEADING);
	}

	/** Writes top to bottom, starting a new page when the current one is full. */
	private static final class Writer {

		private final PDDocument document;

		private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

		private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

		private PDPageContentStream page;

		private float y;

		Writer(PDDocument document) throws IOException {
			this.document = document;
			newPage();
		}

		private void newPage() throws IOException {
			if (this.page != null) {
				this.page.close();
			}
			PDPage next = new PDPage(new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth()));
			this.document.addPage(next);
			this.page = new PDPageContentStream(this.document, next);
			this.y = next.getMediaBox().getHeight() - MARGIN;
		}

		void newLine(float height) throws IOException {
			this.y -= height;
			if (this.y < MARGIN) {
				newPage();
			}
		}

		void plain(String text) throws IOException {
			text(this.regular, FONT_SIZE + 1, MARGIN, text);
		}

		void text(PDType1Font font, float size, float x, String text) throws IOException {
			this.page.beginText();
			this.page.setFont(font, size);
			this.page.newLineAtOffset(x, this.y);
			this.page.showText(printable(text));
			this.page.endText();
		}

		/** Cells after the first, each cut to its column width except the amount, which is never cut. */
		void row(List<String> cells, boolean heading) throws IOException {
			float x = MARGIN;
			for (int i = 1; i < cells.size(); i++) {
				PDType1Font font = heading ? this.bold : this.regular;
				String cell = (i == cells.size() - 1) ? cells.get(i) : fit(font, cells.get(i), WIDTHS[i - 1] - 4);
				text(font, FONT_SIZE, x, cell);
				x += WIDTHS[i - 1];
			}
			newLine(LEADING);
		}

		void finish() throws IOException {
			this.page.close();
		}

		private static String fit(PDType1Font font, String text, float width) throws IOException {
			String shown = printable(text);
			while (!shown.isEmpty() && font.getStringWidth(shown) / 1000 * FONT_SIZE > width) {
				shown = shown.substring(0, shown.length() - 1);
			}
			return shown;
		}

		private static String printable(String text) {
			StringBuilder out = new StringBuilder(text.length());
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				out.append(c >= 0x20 && c < 0x7f ? c : '?');
			}
			return out.toString();
		}

	}

}
