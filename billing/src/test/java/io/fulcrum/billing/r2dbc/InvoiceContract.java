package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.fulcrum.billing.invoice.Invoice;
import io.fulcrum.billing.invoice.InvoiceLine;
import io.fulcrum.billing.invoice.InvoiceRefused;
import io.fulcrum.billing.invoice.Reconciliation;
import io.fulcrum.billing.pricing.CustomerPricing;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PriceBookEntry;
import io.fulcrum.billing.pricing.PriceChangeRefused;
import io.fulcrum.billing.pricing.PricedAttempt;
import io.fulcrum.billing.pricing.PricingStore;
import io.fulcrum.billing.pricing.Rates;
import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Price books, tenant pricing and invoices on a real database; subclasses name it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InvoiceContract {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Invoices are closed in June 2026, so March to May have ended. */
	private static final Instant NOW = Instant.parse("2026-06-15T09:00:00Z");

	private static final TokenPrice CONFIGURED = new TokenPrice(new BigDecimal("0.15"), new BigDecimal("0.60"),
			new BigDecimal("0.075"));

	private static final YearMonth MARCH = YearMonth.of(2026, 3);

	private static final YearMonth APRIL = YearMonth.of(2026, 4);

	private BillingDatabase database;

	private R2dbcUsageLedger ledger;

	private R2dbcPricingStore prices;

	private R2dbcInvoiceStore invoices;

	private LivePricing pricing;

	private int requests;

	abstract BillingDatabaseSettings settings();

	@BeforeAll
	void open() {
		this.database = BillingDatabase.open(settings());
	}

	@AfterAll
	void close() {
		this.database.close();
	}

	@BeforeEach
	void start() {
		TestDatabases.clean(this.database);
		this.ledger = new R2dbcUsageLedger(this.database.client());
		this.prices = new R2dbcPricingStore(this.database.client());
		this.invoices = new R2dbcInvoiceStore(this.database.client(), Clock.fixed(NOW, ZoneOffset.UTC));
		this.prices.seed(List.of(new PricingStore.SeedPrice("openai-east", "gpt-4o-mini", CONFIGURED),
				new PricingStore.SeedPrice("anthropic-west", "claude-haiku", new TokenPrice(new BigDecimal("0.80"),
						new BigDecimal("4.00"), new BigDecimal("0.08")))))
			.block(WAIT);
		this.pricing = new LivePricing(this.prices.load().block(WAIT));
	}

	@AfterEach
	void stop() {
		this.ledger.close();
	}

	@Test
	void invoiceTotalReconcilesWithTheLedgerAndHasOneLinePerModel() {
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 2), 1_000_000, 0, 1_000_000);
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 20), 2_000, 500, 300);
		meter("ten_a", "smart", "anthropic-west", "claude-haiku", at(MARCH, 31), 10_000, 0, 2_000);
		failed("ten_a", "smart", "anthropic-west", "claude-haiku", at(MARCH, 31));
		meter("ten_b", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 3), 5_000, 0, 5_000);
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(APRIL, 1), 5_000, 0, 5_000);
		flush();

		Invoice invoice = this.invoices.close("ten_a", MARCH).block(WAIT);

		assertThat(invoice.number()).isEqualTo("INV-2026-000001");
		assertThat(invoice.currency()).isEqualTo("USD");
		assertThat(invoice.usageLines()).extracting(InvoiceLine::modelAlias, InvoiceLine::requests)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("chat", 2L),
					org.assertj.core.groups.Tuple.tuple("smart", 1L));
		InvoiceLine chat = invoice.usageLines().get(0);
		assertThat(chat.inputTokens()).isEqualTo(1_002_000);
		assertThat(chat.cachedInputTokens()).isEqualTo(500);
		assertThat(chat.outputTokens()).isEqualTo(1_000_300);
		assertThat(chat.priceVersion()).isEqualTo(1);
		assertSameAmounts(chat.listPrices().tokens(), CONFIGURED);
		// 0.15 + 0.60 for the first request; 1,500 x 0.15 + 500 x 0.075 + 300 x 0.60 per million for the second.
		assertThat(chat.amount()).isEqualByComparingTo("0.7504425");
		// 10,000 x 0.80 + 2,000 x 4.00 per million.
		assertThat(invoice.usageLines().get(1).amount()).isEqualByComparingTo("0.016");
		assertThat(invoice.adjustmentLines()).isEmpty();
		assertThat(invoice.total()).isEqualByComparingTo("0.7664425");
		assertThat(invoice.amountDue()).isEqualByComparingTo("0.77");
		Reconciliation reconciliation = this.invoices.reconcile(invoice.number()).block(WAIT);
		assertThat(reconciliation.matches()).isTrue();
		assertThat(reconciliation.ledgerSum()).isEqualByComparingTo(invoice.total());
		assertThat(reconciliation.ledgerRecords()).isEqualTo(4);
		assertThat(this.invoices.find(invoice.number()).block(WAIT)).isEqualTo(invoice);
	}

	@Test
	void priceChangeMidMonthBillsEachRecordAtTheVersionInForceWhenItWasMade() {
		Instant midMarch = at(MARCH, 16);
		PriceBookEntry v2 = this.prices
			.addVersion("openai-east", "gpt-4o-mini", midMarch, new Rates(new TokenPrice(new BigDecimal("0.30"),
					new BigDecimal("1.20"), new BigDecimal("0.15")), new BigDecimal("0.001")), at(MARCH, 10))
			.block(WAIT);
		this.pricing.replace(this.prices.load().block(WAIT));
		this.prices.setTenantPricing("ten_a", new CustomerPricing(new BigDecimal("10"), Map.of())).block(WAIT);
		this.pricing.replace(this.prices.load().block(WAIT));

		UsageRecord before = meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 15), 1_000_000, 0, 0);
		UsageRecord after = meter("ten_a", "chat", "openai-east", "gpt-4o-mini", midMarch, 1_000_000, 0, 0);
		flush();
		Invoice invoice = this.invoices.close("ten_a", MARCH).block(WAIT);

		assertThat(v2.version()).isEqualTo(2);
		assertThat(before.priceVersion()).isEqualTo(1);
		assertThat(before.providerCost()).isEqualByComparingTo("0.15");
		assertThat(before.customerPrice()).isEqualByComparingTo("0.165");
		assertThat(after.priceVersion()).isEqualTo(2);
		assertThat(after.providerCost()).isEqualByComparingTo("0.301");
		assertThat(after.customerPrice()).isEqualByComparingTo("0.3311");
		assertThat(invoice.usageLines()).extracting(InvoiceLine::priceVersion, InvoiceLine::amount)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.1650000000")),
					org.assertj.core.groups.Tuple.tuple(2, new BigDecimal("0.3311000000")));
		assertSameAmounts(invoice.usageLines().get(1).listPrices(), v2.rates());
		assertThat(this.invoices.reconcile(invoice.number()).block(WAIT).matches()).isTrue();
		// The change did not touch what was recorded before it.
		assertThat(this.ledger.findByRequestId(before.requestId()).blockFirst(WAIT).customerPrice())
			.isEqualByComparingTo("0.165");
	}

	@Test
	void lateRecordOfAClosedMonthIsBilledOnTheNextInvoiceAsAnAdjustment() {
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 5), 1_000_000, 0, 0);
		flush();
		Invoice march = this.invoices.close("ten_a", MARCH).block(WAIT);
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(MARCH, 31), 2_000_000, 0, 0);
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(APRIL, 2), 0, 0, 1_000_000);
		flush();

		Invoice april = this.invoices.close("ten_a", APRIL).block(WAIT);

		assertThat(this.invoices.find(march.number()).block(WAIT)).isEqualTo(march);
		assertThat(march.total()).isEqualByComparingTo("0.15");
		assertThat(april.number()).isEqualTo("INV-2026-000002");
		assertThat(april.subtotal()).isEqualByComparingTo("0.60");
		assertThat(april.adjustmentLines()).singleElement().satisfies((line) -> {
			assertThat(line.inputTokens()).isEqualTo(2_000_000);
			assertThat(line.amount()).isEqualByComparingTo("0.30");
		});
		assertThat(april.total()).isEqualByComparingTo("0.90");
		assertThat(this.invoices.reconcile(march.number()).block(WAIT).matches()).isTrue();
		assertThat(this.invoices.reconcile(april.number()).block(WAIT).matches()).isTrue();
		assertThat(this.invoices.list("ten_a").collectList().block(WAIT)).containsExactly(march, april);
	}

	@Test
	void closedMonthIsNeverClosedAgainAndMonthsCloseInOrder() {
		meter("ten_a", "chat", "openai-east", "gpt-4o-mini", at(APRIL, 5), 1_000_000, 0, 0);
		flush();
		Invoice april = this.invoices.close("ten_a", APRIL).block(WAIT);

		assertThatThrownBy(() -> this.invoices.close("ten_a", APRIL).block(WAIT)).isInstanceOfSatisfying(
				InvoiceRefused.class, (ex) -> assertThat(ex.reason()).isEqualTo(InvoiceRefused.Reason.ALREADY_CLOSED));
		assertThatThrownBy(() -> this.invoices.close("ten_a", MARCH).block(WAIT)).isInstanceOfSatisfying(
				InvoiceRefused.class, (ex) -> assertThat(ex.reason()).isEqualTo(InvoiceRefused.Reason.OUT_OF_ORDER));
		assertThatThrownBy(() -> this.invoices.close("ten_a", YearMonth.of(2026, 6)).block(WAIT))
			.isInstanceOfSatisfying(InvoiceRefused.class,
					(ex) -> assertThat(ex.reason()).isEqualTo(InvoiceRefused.Reason.PERIOD_NOT_ENDED));
		assertThat(this.invoices.list("ten_a").collectList().block(WAIT)).containsExactly(april);
		// Refused closes used no invoice number.
		assertThat(this.invoices.close("ten_b", APRIL).block(WAIT).number()).isEqualTo("INV-2026-000002");
	}

	@Test
	void priceChangeThatWouldRewriteThePastIsRefused() {
		Instant now = at(MARCH, 10);
		Rates rates = new Rates(CONFIGURED, BigDecimal.ZERO);
		this.prices.addVersion("openai-east", "gpt-4o-mini", at(MARCH, 20), rates, now).block(WAIT);

		assertThatThrownBy(() -> this.prices.addVersion("openai-east", "gpt-4o-mini", at(MARCH, 9), rates, now)
			.block(WAIT)).isInstanceOf(PriceChangeRefused.class).hasMessageContaining("in the past");
		assertThatThrownBy(() -> this.prices.addVersion("openai-east", "gpt-4o-mini", at(MARCH, 15), rates, now)
			.block(WAIT)).isInstanceOf(PriceChangeRefused.class).hasMessageContaining("before version 2");
		assertThat(this.prices.load().block(WAIT).book().entries()).hasSize(3);
	}

	@Test
	void seedWritesConfiguredPricesOnceAndTenantPricingReadsBack() {
		Integer again = this.prices.seed(List.of(new PricingStore.SeedPrice("openai-east", "gpt-4o-mini",
				TokenPrice.FREE), new PricingStore.SeedPrice("new-deployment", "m", TokenPrice.FREE))).block(WAIT);
		Rates own = new Rates(new TokenPrice(BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ONE), new BigDecimal("0.01"));
		this.prices.setTenantPricing("ten_a", new CustomerPricing(new BigDecimal("12.5"), Map.of("chat", own)))
			.block(WAIT);
		this.prices.setTenantPricing("ten_a", new CustomerPricing(new BigDecimal("15"), Map.of("chat", own)))
			.block(WAIT);

		LivePricing.Snapshot snapshot = this.prices.load().block(WAIT);

		assertThat(again).isEqualTo(1);
		assertSameAmounts(snapshot.book().entryAt("openai-east", "gpt-4o-mini", NOW).rates().tokens(), CONFIGURED);
		assertThat(snapshot.book().entryAt("new-deployment", "m", NOW).version()).isEqualTo(1);
		CustomerPricing tenant = snapshot.tenants().get("ten_a");
		assertThat(tenant.markupPercent()).isEqualByComparingTo("15");
		assertThat(tenant.priceList()).containsOnlyKeys("chat");
		assertSameAmounts(tenant.priceList().get("chat"), own);
	}

	private UsageRecord meter(String tenant, String alias, String deployment, String model, Instant at, long input,
			long cached, long output) {
		TokenUsage usage = TokenUsage.exact(input, cached, output);
		PricedAttempt priced = this.pricing.price(deployment, model, tenant, alias, usage, true, at, CONFIGURED);
		UsageRecord record = new UsageRecord("req-" + (++this.requests), 1, tenant, "key_1", alias, deployment, model,
				usage, priced.providerCost(), priced.customerPrice(), UsageStatus.SUCCESS, 100L, 200L, at,
				priced.priceVersion());
		this.ledger.append(record);
		return record;
	}

	private void failed(String tenant, String alias, String deployment, String model, Instant at) {
		PricedAttempt priced = this.pricing.price(deployment, model, tenant, alias, TokenUsage.NONE, false, at,
				CONFIGURED);
		this.ledger.append(new UsageRecord("req-" + (++this.requests), 1, tenant, "key_1", alias, deployment, model,
				TokenUsage.NONE, priced.providerCost(), priced.customerPrice(), UsageStatus.FAILED_ATTEMPT, null, 20L,
				at, priced.priceVersion()));
	}

	private void flush() {
		this.ledger.flush().block(WAIT);
	}

	/** The database keeps 10 decimal places, so amounts read back equal in value, not in scale. */
	private static void assertSameAmounts(Object actual, Object expected) {
		assertThat(actual).usingRecursiveComparison()
			.withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
			.isEqualTo(expected);
	}

	private static Instant at(YearMonth month, int day) {
		return month.atDay(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
	}

}
