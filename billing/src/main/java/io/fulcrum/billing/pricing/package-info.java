/**
 * Prices and the arithmetic that turns usage into money, in {@link java.math.BigDecimal}: versioned price books per
 * deployment and model ({@link io.fulcrum.billing.pricing.PriceBook}), what tenants pay on top
 * ({@link io.fulcrum.billing.pricing.CustomerPricing}), and the immutable snapshot the request path prices with
 * ({@link io.fulcrum.billing.pricing.LivePricing}). Plain Java.
 */
@NullMarked
package io.fulcrum.billing.pricing;

import org.jspecify.annotations.NullMarked;
