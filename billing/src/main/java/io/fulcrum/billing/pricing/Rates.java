package io.fulcrum.billing.pricing;

import java.math.BigDecimal;
import java.util.Objects;

import io.fulcrum.billing.usage.TokenUsage;

/**
 * What one billable attempt costs: token prices per million plus a fixed fee per request.
 *
 * @param tokens prices per million input, output and cached input tokens
 * @param perRequestFee charged once per billable attempt, in the same currency
 */
public record Rates(TokenPrice tokens, BigDecimal perRequestFee) {

	/** Nothing at all. */
	public static final Rates FREE = new Rates(TokenPrice.FREE, BigDecimal.ZERO);

	public Rates {
		Objects.requireNonNull(tokens, "tokens");
		Objects.requireNonNull(perRequestFee, "perRequestFee");
		if (perRequestFee.signum() < 0) {
			throw new IllegalArgumentException("per-request fee must not be negative");
		}
	}

	/** The charge for {@code usage}: token cost plus the fee, at {@link TokenPrice#SCALE} decimal places. */
	public BigDecimal charge(TokenUsage usage) {
		BigDecimal cost = this.tokens.cost(usage);
		return this.perRequestFee.signum() == 0 ? cost
				: cost.add(this.perRequestFee).setScale(TokenPrice.SCALE, java.math.RoundingMode.HALF_EVEN);
	}

}
