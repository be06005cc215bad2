package io.fulcrum.billing.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fulcrum.billing.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LivePricingTests {

	private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");

	private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");

	private static final TokenPrice CONFIGURED = new TokenPrice(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);

	private static final TokenUsage MILLION_IN = TokenUsage.exact(1_000_000, 0, 0);

	private final PriceBook book = PriceBook.of(List.of(
			new PriceBookEntry("dep", "m", 2, FEB, new Rates(new TokenPrice(new BigDecimal("2"), BigDecimal.ZERO,
					BigDecimal.ZERO), new BigDecimal("0.5"))),
			new PriceBookEntry("dep", "m", 1, JAN, new Rates(new TokenPrice(BigDecimal.ONE, BigDecimal.ZERO,
					BigDecimal.ZERO), BigDecimal.ZERO))));

	@Test
	void versionInForceIsTheLatestThatHasTakenEffect() {
		assertThat(this.book.entryAt("dep", "m", JAN.minusSeconds(1))).isNull();
		assertThat(this.book.entryAt("dep", "m", JAN).version()).isEqualTo(1);
		assertThat(this.book.entryAt("dep", "m", FEB.minusNanos(1)).version()).isEqualTo(1);
		assertThat(this.book.entryAt("dep", "m", FEB).version()).isEqualTo(2);
		assertThat(this.book.entryAt("dep", "other", FEB)).isNull();
		assertThat(this.book.latest("dep", "m").version()).isEqualTo(2);
	}

	@Test
	void customerPaysMarkupOnCostOrItsOwnListPrice() {
		Rates own = new Rates(new TokenPrice(new BigDecimal("5"), BigDecimal.ZERO, BigDecimal.ZERO), BigDecimal.ZERO);
		LivePricing pricing = new LivePricing(new LivePricing.Snapshot(this.book,
				Map.of("marked", new CustomerPricing(new BigDecimal("20"), Map.of()), "listed",
						new CustomerPricing(BigDecimal.ZERO, Map.of("chat", own)))));

		PricedAttempt atCost = pricing.price("dep", "m", "other", "chat", MILLION_IN, true, FEB, CONFIGURED);
		PricedAttempt marked = pricing.price("dep", "m", "marked", "chat", MILLION_IN, true, FEB, CONFIGURED);
		PricedAttempt listed = pricing.price("dep", "m", "listed", "chat", MILLION_IN, true, FEB, CONFIGURED);
		PricedAttempt unlisted = pricing.price("dep", "m", "listed", "embed", MILLION_IN, true, FEB, CONFIGURED);

		assertThat(atCost).isEqualTo(new PricedAttempt(2, new BigDecimal("2.5000000000"),
				new BigDecimal("2.5000000000")));
		assertThat(marked.customerPrice()).isEqualByComparingTo("3.0");
		assertThat(listed.providerCost()).isEqualByComparingTo("2.5");
		assertThat(listed.customerPrice()).isEqualByComparingTo("5");
		assertThat(unlisted.customerPrice()).isEqualByComparingTo("2.5");
	}

	@Test
	void failedAttemptCostsNothingAndUnknownDeploymentUsesItsConfiguredPriceAsVersionZero() {
		LivePricing pricing = new LivePricing(new LivePricing.Snapshot(this.book, Map.of()));

		assertThat(pricing.price("dep", "m", "t", "chat", MILLION_IN, false, FEB, CONFIGURED))
			.isEqualTo(new PricedAttempt(2, BigDecimal.ZERO, BigDecimal.ZERO));
		assertThat(pricing.price("new", "m", "t", "chat", MILLION_IN, true, FEB, CONFIGURED).priceVersion())
			.isZero();
		assertThat(pricing.price("new", "m", "t", "chat", MILLION_IN, true, FEB, CONFIGURED).providerCost())
			.isEqualByComparingTo("1");
	}

	@Test
	void reloadStartedBeforeAnAdminChangeDoesNotUndoIt() {
		LivePricing.Snapshot initial = new LivePricing.Snapshot(this.book, Map.of());
		LivePricing pricing = new LivePricing(initial);
		LivePricing.Snapshot afterChange = new LivePricing.Snapshot(this.book, Map.of("t", CustomerPricing.AT_COST));
		LivePricing.Snapshot staleReload = new LivePricing.Snapshot(this.book, Map.of());

		pricing.replace(afterChange);

		assertThat(pricing.replaceIfUnchanged(initial, staleReload)).isFalse();
		assertThat(pricing.current()).isSameAs(afterChange);
		assertThat(pricing.replaceIfUnchanged(afterChange, staleReload)).isTrue();
	}

	@Test
	void markupOutsideZeroToAThousandPercentIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CustomerPricing(new BigDecimal("-1"), Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new CustomerPricing(new BigDecimal("1000.01"), Map.of()));
	}

}
