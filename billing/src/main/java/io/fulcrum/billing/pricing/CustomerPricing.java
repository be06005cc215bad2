package io.fulcrum.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

import io.fulcrum.billing.usage.TokenUsage;

/**
 * What a tenant pays: its own list price for a model alias when it has one, otherwise provider cost plus its plan
 * markup. Changing it prices later records only; records keep the price they were given.
 *
 * @param markupPercent added to provider cost, in percent (20 = cost x 1.2); 0 or more
 * @param priceList the tenant's own rates by the model alias it asks for
 */
public record CustomerPricing(BigDecimal markupPercent, Map<String, Rates> priceList) {

	/** The most markup accepted: a typo such as 2000 for 20 should not reach an invoice. */
	public static final BigDecimal MAX_MARKUP_PERCENT = BigDecimal.valueOf(1000);

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	// After the constants above: the constructor reads them.
	/** Cost price: no markup, no price list. Tenants without pricing of their own pay this. */
	public static final CustomerPricing AT_COST = new CustomerPricing(BigDecimal.ZERO, Map.of());

	public CustomerPricing {
		Objects.requireNonNull(markupPercent, "markupPercent");
		if (markupPercent.signum() < 0 || markupPercent.compareTo(MAX_MARKUP_PERCENT) > 0) {
			throw new IllegalArgumentException("markup must be between 0 and " + MAX_MARKUP_PERCENT + " percent");
		}
		priceList = Map.copyOf(priceList);
	}

	/** The customer price of one billable attempt whose provider cost was {@code cost}. */
	public BigDecimal price(String modelAlias, TokenUsage usage, BigDecimal cost) {
		Rates own = this.priceList.get(modelAlias);
		if (own != null) {
			return own.charge(usage);
		}
		if (this.markupPercent.signum() == 0) {
			return cost;
		}
		return cost.add(cost.multiply(this.markupPercent).divide(HUNDRED, TokenPrice.SCALE, RoundingMode.HALF_EVEN));
	}

}
