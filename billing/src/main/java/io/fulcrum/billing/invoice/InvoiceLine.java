package io.fulcrum.billing.invoice;

import java.math.BigDecimal;
import java.util.Objects;

import io.fulcrum.billing.pricing.Rates;
import org.jspecify.annotations.Nullable;

/**
 * The usage of one model through one deployment at one price book version, summed.
 *
 * @param kind usage of the invoiced period, or an adjustment for late usage of a period closed earlier
 * @param modelAlias the model the tenant asked for
 * @param deploymentId the deployment that served it
 * @param upstreamModel the provider's model
 * @param priceVersion the price book version the records were priced with (0: configured price, no version)
 * @param requests billable attempts
 * @param inputTokens prompt tokens, cached ones included
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's cache
 * @param outputTokens generated tokens
 * @param listPrices the price book rates of {@code priceVersion}, or {@code null} for version 0; the tenant's
 * own markup or price list is applied on top, so {@code amount} is what counts
 * @param amount the sum of the records' customer prices, exact (no rounding)
 */
public record InvoiceLine(Kind kind, String modelAlias, String deploymentId, String upstreamModel, int priceVersion,
		long requests, long inputTokens, long cachedInputTokens, long outputTokens, @Nullable Rates listPrices,
		BigDecimal amount) {

	public InvoiceLine {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(modelAlias, "modelAlias");
		Objects.requireNonNull(deploymentId, "deploymentId");
		Objects.requireNonNull(upstreamModel, "upstreamModel");
		Objects.requireNonNull(amount, "amount");
	}

	/** What a line bills. */
	public enum Kind {

		/** Usage recorded in the invoiced period. */
		USAGE,

		/** Usage of an earlier, already closed period that reached the ledger after that period was closed. */
		ADJUSTMENT

	}

}
