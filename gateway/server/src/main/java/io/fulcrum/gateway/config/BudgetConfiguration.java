package io.fulcrum.gateway.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.R2dbcBudgetStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageReport;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.gateway.budget.BudgetAlerts;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.gateway.budget.BudgetGuard;
import io.fulcrum.gateway.budget.LocalSpendStore;
import io.fulcrum.gateway.budget.MaxCost;
import io.fulcrum.gateway.budget.RedisSpendStore;
import io.fulcrum.gateway.budget.SpendStore;
import io.fulcrum.gateway.ratelimit.QuotaStore;
import io.fulcrum.gateway.ratelimit.RedisQuotaStore;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Budgets: stored in the billing database, read into a {@link BudgetBook} that is refreshed in the background, and
 * enforced by the {@link BudgetGuard} with counters in Redis (sharing the rate limiter's connection) when the rate
 * limiter uses Redis, else in process.
 */
@Configuration(proxyBeanMethods = false)
class BudgetConfiguration {

	@Bean
	BudgetStore budgetStore(BillingDatabase database) {
		return new R2dbcBudgetStore(database.client());
	}

	@Bean
	UsageReport usageReport(BillingDatabase database) {
		return new R2dbcUsageReport(database.client());
	}

	@Bean
	BudgetBook budgetBook(BudgetStore store) {
		BudgetBook book = new BudgetBook(store);
		// Blocking once at start-up, so that the first request already sees every budget.
		book.reload().block(java.time.Duration.ofSeconds(30));
		return book;
	}

	/** Re-reads the budgets every refresh interval, so admin changes made on another replica arrive. */
	@Bean(destroyMethod = "dispose")
	Disposable budgetBookRefresh(BudgetBook book, FulcrumProperties properties) {
		// Ticks that come while a reload is still running are dropped: an overflowing interval would end the loop.
		// reload() never fails (it keeps the last budgets), so nothing else can end it.
		return Flux.interval(properties.budgets().refreshInterval())
			.onBackpressureDrop()
			.concatMap(tick -> book.reload(), 0)
			.subscribe();
	}

	@Bean
	SpendStore spendStore(QuotaStore quotas, FulcrumProperties properties, MeterRegistry meters) {
		if (quotas instanceof RedisQuotaStore redis) {
			return new RedisSpendStore(redis, properties.rateLimit().onRedisFailure().equals("open"), meters);
		}
		return new LocalSpendStore();
	}

	@Bean
	BudgetGuard budgetGuard(BudgetBook book, SpendStore store, UsageReport report, UsageLedger ledger,
			LivePricing pricing, FulcrumProperties properties, MeterRegistry meters) {
		FulcrumProperties.Budgets config = properties.budgets();
		List<String> problems = new ArrayList<>();
		if (config.defaultMaxOutputTokens() < 1) {
			problems.add("fulcrum.budgets.default-max-output-tokens: must be at least 1");
		}
		if (config.reservationLease().toMillis() < 1000) {
			problems.add("fulcrum.budgets.reservation-lease: must be at least 1s");
		}
		if (config.refreshInterval().toMillis() < 100) {
			problems.add("fulcrum.budgets.refresh-interval: must be at least 100ms");
		}
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		return new BudgetGuard(book, store, report, ledger,
				MaxCost.atCustomerPrice(pricing, config.defaultMaxOutputTokens()), new BudgetAlerts(meters), config.reservationLease(), config.redisKeyPrefix(), Clock.systemUTC());
	}

}
