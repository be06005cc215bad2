package io.fulcrum.gateway.config;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricingStore;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;
import io.fulcrum.billing.r2dbc.R2dbcAccountStore;
import io.fulcrum.billing.r2dbc.R2dbcInvoiceStore;
import io.fulcrum.billing.r2dbc.R2dbcPricingStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageLedger;
import io.fulcrum.billing.spool.UsageSpool;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where accounts and usage are kept: an embedded H2 database under {@code fulcrum.storage.embedded-path} by
 * default, or PostgreSQL with {@code fulcrum.storage.type=postgres}. Both go through R2DBC with the same schema,
 * migrated at start-up. Price books and invoices live there too: configured deployment prices are seeded as price
 * book version 1 at start-up, and the live pricing snapshot is reloaded every {@link #PRICING_RELOAD}, so that
 * price changes made through another gateway instance's admin API reach this one.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	/** How often the pricing snapshot is reread; this instance's own admin changes apply at once. */
	static final Duration PRICING_RELOAD = Duration.ofSeconds(60);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final System.Logger logger = System.getLogger(StorageConfiguration.class.getName());

	@Bean(destroyMethod = "close")
	BillingDatabase billingDatabase(FulcrumProperties properties) {
		FulcrumProperties.Storage storage = properties.storage();
		BillingDatabaseSettings settings = switch (storage.type()) {
			case "embedded" -> BillingDatabaseSettings.embedded(storage.embeddedPath());
			case "postgres" -> {
				FulcrumProperties.Postgres pg = storage.postgres();
				yield BillingDatabaseSettings.postgres(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(),
						pg.schema())
					.withPoolSize(pg.poolSize());
			}
			default -> throw new InvalidConfigurationException(java.util.List
				.of("fulcrum.storage.type: '" + storage.type() + "' is not embedded or postgres"));
		};
		return BillingDatabase.open(settings);
	}

	@Bean
	AccountStore accountStore(BillingDatabase database) {
		return new R2dbcAccountStore(database.client());
	}

	@Bean(destroyMethod = "close")
	R2dbcUsageLedger usageLedger(BillingDatabase database, FulcrumProperties properties) {
		String spoolDir = properties.storage().spoolDir();
		UsageSpool spool = spoolDir.isBlank() ? null : UsageSpool.open(Path.of(spoolDir));
		return new R2dbcUsageLedger(database.client(), spool);
	}

	@Bean
	R2dbcPricingStore pricingStore(BillingDatabase database) {
		return new R2dbcPricingStore(database.client());
	}

	@Bean
	R2dbcInvoiceStore invoiceStore(BillingDatabase database) {
		return new R2dbcInvoiceStore(database.client());
	}

	/** Blocks at start-up, as the migration does: no request is priced before the price book is read. */
	@Bean
	LivePricing livePricing(R2dbcPricingStore prices, DeploymentCatalog catalog) {
		List<PricingStore.SeedPrice> configured = catalog.deployments()
			.stream()
			.map((d) -> new PricingStore.SeedPrice(d.id(), d.upstreamModel(), d.price()))
			.toList();
		Integer seeded = prices.seed(configured).block(STARTUP_TIMEOUT);
		if (seeded != null && seeded > 0) {
			logger.log(Level.INFO, "price book: seeded {0} deployment prices from configuration as version 1", seeded);
		}
		return new LivePricing(prices.load().block(STARTUP_TIMEOUT));
	}

	@Bean(destroyMethod = "dispose")
	Disposable livePricingReload(R2dbcPricingStore prices, LivePricing pricing) {
		// On a thread allowed to block: H2's driver does.
		return Flux.interval(PRICING_RELOAD, PRICING_RELOAD, Schedulers.boundedElastic())
			.concatMap((tick) -> {
				LivePricing.Snapshot before = pricing.current();
				return prices.load()
					// An admin change on this replica meanwhile put a fresher snapshot: keep that one.
					.doOnNext((loaded) -> pricing.replaceIfUnchanged(before, loaded))
					.onErrorResume((error) -> {
						// Keep pricing with the last snapshot read; the next tick tries again.
						logger.log(Level.WARNING, "price book reload failed: {0}", error.toString());
						return Mono.empty();
					});
			})
			.subscribe();
	}

}
