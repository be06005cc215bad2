/** Prices per million tokens and the arithmetic that turns usage into money, in {@link java.math.BigDecimal}. */
@NullMarked
package io.fulcrum.billing.pricing;

import org.jspecify.annotations.NullMarked;
