package io.fulcrum.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

import io.fulcrum.billing.usage.TokenUsage;

/**
 * A deployment's list price in US dollars per million tokens. Money is never floating point: costs are exact
 * {@link BigDecimal}s rounded once, to {@value #SCALE} decimal places.
 *
 * @param inputPerMillion price of a million uncached prompt tokens
 * @param outputPerMillion price of a million generated tokens
 * @param cachedInputPerMillion price of a million prompt tokens served from the provider's cache
 */
public record TokenPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

	/** Decimal places kept for costs: a hundred-millionth of a cent is below any provider's granularity. */
	public static final int SCALE = 10;

	public static final TokenPrice FREE = new TokenPrice(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	public TokenPrice {
		Objects.requireNonNull(inputPerMillion, "inputPerMillion");
		Objects.requireNonNull(outputPerMillion, "outputPerMillion");
		Objects.requireNonNull(cachedInputPerMillion, "cachedInputPerMillion");
		if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0 || cachedInputPerMillion.signum() < 0) {
			throw new IllegalArgumentException("token prices must not be negative");
		}
	}

	/** The cost of {@code usage}; cached prompt tokens are priced at the cached rate, the rest at the input rate. */
	public BigDecimal cost(TokenUsage usage) {
		long cached = Math.min(usage.cachedInputOrZero(), usage.inputOrZero());
		long uncached = usage.inputOrZero() - cached;
		BigDecimal micro = this.inputPerMillion.multiply(BigDecimal.valueOf(uncached))
			.add(this.cachedInputPerMillion.multiply(BigDecimal.valueOf(cached)))
			.add(this.outputPerMillion.multiply(BigDecimal.valueOf(usage.outputOrZero())));
		return micro.divide(MILLION, SCALE, RoundingMode.HALF_EVEN);
	}

}
