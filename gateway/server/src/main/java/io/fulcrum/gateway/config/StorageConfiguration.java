package io.fulcrum.gateway.config;

import java.nio.file.Path;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;
import io.fulcrum.billing.r2dbc.R2dbcAccountStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageLedger;
import io.fulcrum.billing.spool.UsageSpool;
import io.fulcrum.billing.usage.UsageLedger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where accounts and usage are kept: an embedded H2 database under {@code fulcrum.storage.embedded-path} by
 * default, or PostgreSQL with {@code fulcrum.storage.type=postgres}. Both go through R2DBC with the same schema,
 * migrated at start-up.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

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

}
