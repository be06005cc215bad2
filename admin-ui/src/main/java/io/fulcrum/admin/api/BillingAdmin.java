package io.fulcrum.admin.api;

import java.time.Clock;
import java.util.Objects;

import io.fulcrum.billing.invoice.InvoiceStore;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricingStore;

/**
 * What the billing part of the admin API ({@code /prices}, {@code /tenants/{id}/pricing}, {@code /invoices})
 * works on.
 *
 * @param prices where price books and tenant pricing are kept
 * @param invoices where invoices are closed and kept
 * @param live the snapshot the gateway prices requests with: reloaded from {@code prices} after every change
 * @param clock "now" for refusing effective dates in the past
 */
public record BillingAdmin(PricingStore prices, InvoiceStore invoices, LivePricing live, Clock clock) {

	public BillingAdmin {
		Objects.requireNonNull(prices, "prices");
		Objects.requireNonNull(invoices, "invoices");
		Objects.requireNonNull(live, "live");
		Objects.requireNonNull(clock, "clock");
	}

}
