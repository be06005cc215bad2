package io.fulcrum.billing.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import io.fulcrum.billing.pricing.Rates;

/** Text shared by the renderers, so that HTML, PDF and CSV show the same figures. */
final class InvoiceFormat {

	/** Column headings of the line table. */
	static final List<String> HEADINGS = List.of("Kind", "Model", "Deployment", "Provider model", "Price version",
			"Requests", "Input tokens", "Cached input tokens", "Output tokens", "Input /1M", "Cached input /1M",
			"Output /1M", "Per request", "Amount");

	private InvoiceFormat() {
	}

	/**
	 * An exact amount without trailing zeros but with at least cents: {@code 0.0004875123}, {@code 12.50}. Amounts
	 * are shown unrounded so that the lines visibly add up to the total.
	 */
	static String money(BigDecimal amount) {
		BigDecimal stripped = amount.stripTrailingZeros();
		return (stripped.scale() < Invoice.DUE_SCALE ? stripped.setScale(Invoice.DUE_SCALE, RoundingMode.UNNECESSARY)
				: stripped).toPlainString();
	}

	/** One line as the cells under {@link #HEADINGS}; unit prices are blank for version 0 (no price book entry). */
	static List<String> cells(InvoiceLine line) {
		Rates rates = line.listPrices();
		return List.of(line.kind() == InvoiceLine.Kind.USAGE ? "usage" : "adjustment", line.modelAlias(),
				line.deploymentId(), line.upstreamModel(), "v" + line.priceVersion(), Long.toString(line.requests()),
				Long.toString(line.inputTokens()), Long.toString(line.cachedInputTokens()),
				Long.toString(line.outputTokens()), (rates != null) ? money(rates.tokens().inputPerMillion()) : "",
				(rates != null) ? money(rates.tokens().cachedInputPerMillion()) : "",
				(rates != null) ? money(rates.tokens().outputPerMillion()) : "",
				(rates != null) ? money(rates.perRequestFee()) : "", money(line.amount()));
	}

}
