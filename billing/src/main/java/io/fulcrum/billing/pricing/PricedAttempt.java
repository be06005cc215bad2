package io.fulcrum.billing.pricing;

import java.math.BigDecimal;

/**
 * The prices of one attempt, as its usage record stores them.
 *
 * @param priceVersion the price book version used; 0 when the deployment had no version in force and its
 * configured price was used instead
 * @param providerCost what the provider charges us
 * @param customerPrice what the tenant is charged
 */
public record PricedAttempt(int priceVersion, BigDecimal providerCost, BigDecimal customerPrice) {

}
