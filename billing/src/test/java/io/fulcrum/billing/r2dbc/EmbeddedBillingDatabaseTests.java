package io.fulcrum.billing.r2dbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedBillingDatabaseTests {

	@TempDir
	Path directory;

	@Test
	void dataSurvivesClosingAndReopening() {
		BillingDatabaseSettings settings = BillingDatabaseSettings.embedded(this.directory);
		Tenant tenant;
		IssuedKey key;
		try (BillingDatabase database = BillingDatabase.open(settings);
				R2dbcUsageLedger ledger = new R2dbcUsageLedger(database.client())) {
			R2dbcAccountStore store = new R2dbcAccountStore(database.client());
			tenant = store.createTenant("Acme").block();
			key = store.createKey(tenant.id(), "ci", Set.of("chat-default"), null).block();
			ledger.append(UsageRecords.record("req-durable", 1));
			ledger.flush().block(Duration.ofSeconds(30));
		}

		// Flyway opens the files over JDBC again, then R2DBC: neither may find them locked.
		try (BillingDatabase database = BillingDatabase.open(settings);
				R2dbcUsageLedger ledger = new R2dbcUsageLedger(database.client())) {
			R2dbcAccountStore store = new R2dbcAccountStore(database.client());
			assertThat(store.findTenant(tenant.id()).block()).isEqualTo(tenant);
			assertThat(store.findKeyByHash(ApiKeys.hash(key.secret())).block()).isEqualTo(key.key());
			assertThat(ledger.findByRequestId("req-durable").collectList().block()).hasSize(1);
		}
		assertThat(this.directory.resolve("billing.mv.db")).exists();
	}

}
