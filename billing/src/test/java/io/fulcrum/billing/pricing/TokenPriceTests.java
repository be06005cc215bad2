package io.fulcrum.billing.pricing;

import java.math.BigDecimal;

import io.fulcrum.billing.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenPriceTests {

	private static final TokenPrice PRICE = new TokenPrice(new BigDecimal("0.15"), new BigDecimal("0.60"),
			new BigDecimal("0.075"));

	@Test
	void cachedTokensArePricedAtTheCachedRate() {
		// 600 uncached * 0.15 + 400 cached * 0.075 + 500 output * 0.60 = 420 micro-dollars
		BigDecimal cost = PRICE.cost(TokenUsage.exact(1_000, 400, 500));

		assertThat(cost).isEqualTo(new BigDecimal("0.0004200000"));
	}

	@Test
	void costIsExactDecimalWithTenPlaces() {
		// 0.1 + 0.2 in binary floating point would be 0.30000000000000004
		TokenPrice price = new TokenPrice(new BigDecimal("0.1"), new BigDecimal("0.2"), BigDecimal.ZERO);

		BigDecimal cost = price.cost(TokenUsage.exact(1_000_000, 0, 1_000_000));

		assertThat(cost).isEqualTo(new BigDecimal("0.3000000000"));
		assertThat(cost.scale()).isEqualTo(TokenPrice.SCALE);
	}

	@Test
	void fractionsBelowTheScaleRoundHalfToEven() {
		TokenPrice onePointFive = new TokenPrice(new BigDecimal("0.00015"), BigDecimal.ZERO, BigDecimal.ZERO);
		TokenPrice twoPointFive = new TokenPrice(new BigDecimal("0.00025"), BigDecimal.ZERO, BigDecimal.ZERO);

		assertThat(onePointFive.cost(TokenUsage.exact(1, 0, 0))).isEqualTo(new BigDecimal("0.0000000002"));
		assertThat(twoPointFive.cost(TokenUsage.exact(1, 0, 0))).isEqualTo(new BigDecimal("0.0000000002"));
	}

	@Test
	void cachedTokensBeyondTheInputAreNotChargedTwice() {
		BigDecimal cost = PRICE.cost(TokenUsage.exact(100, 500, 0));

		assertThat(cost).isEqualByComparingTo(new BigDecimal("0.0000075"));
	}

	@Test
	void unreportedCountsCostNothing() {
		assertThat(PRICE.cost(new TokenUsage(null, null, null, true))).isEqualByComparingTo(BigDecimal.ZERO);
	}

	@Test
	void negativePricesAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenPrice(new BigDecimal("-1"), BigDecimal.ZERO, BigDecimal.ZERO));
	}

}
