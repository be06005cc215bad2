package io.fulcrum.billing.r2dbc;

import java.util.List;
import java.util.Set;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.ApiKey;
import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link AccountStore} must do; subclasses name the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountStoreContract {

	private BillingDatabase database;

	private AccountStore store;

	abstract BillingDatabaseSettings settings();

	@BeforeAll
	void open() {
		this.database = BillingDatabase.open(settings());
		this.store = new R2dbcAccountStore(this.database.client());
	}

	@AfterAll
	void close() {
		this.database.close();
	}

	@BeforeEach
	void clean() {
		TestDatabases.clean(this.database);
	}

	@Test
	void createdTenantIsFoundAndListed() {
		Tenant created = this.store.createTenant("Acme").block();

		assertThat(created.id()).startsWith("ten_");
		assertThat(created.name()).isEqualTo("Acme");
		assertThat(created.active()).isTrue();
		assertThat(this.store.findTenant(created.id()).block()).isEqualTo(created);
		assertThat(this.store.listTenants().collectList().block()).containsExactly(created);
	}

	@Test
	void tenantsAreListedOldestFirst() {
		Tenant first = this.store.createTenant("First").block();
		Tenant second = this.store.createTenant("Second").block();

		assertThat(this.store.listTenants().map(Tenant::id).collectList().block()).containsExactly(first.id(),
				second.id());
	}

	@Test
	void unknownTenantIsNotFound() {
		assertThat(this.store.findTenant("ten_nope").blockOptional()).isEmpty();
	}

	@Test
	void blankTenantNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.createTenant(" ").block());
	}

	@Test
	void issuedKeyIsFoundByTheHashOfItsSecret() {
		Tenant tenant = this.store.createTenant("Acme").block();

		IssuedKey issued = this.store.createKey(tenant.id(), "ci", Set.of(), null).block();

		assertThat(ApiKeys.looksLikeKey(issued.secret())).isTrue();
		assertThat(issued.key().id()).startsWith("key_");
		assertThat(issued.key().tenantId()).isEqualTo(tenant.id());
		assertThat(issued.key().prefix()).isEqualTo(issued.secret().substring(3, 11));
		assertThat(issued.key().active()).isTrue();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(issued.secret())).block()).isEqualTo(issued.key());
	}

	@Test
	void unknownHashFindsNothing() {
		assertThat(this.store.findKeyByHash(ApiKeys.hash(ApiKeys.generateSecret())).blockOptional()).isEmpty();
	}

	@Test
	void suppliedSecretIsUsedAsIs() {
		Tenant tenant = this.store.createTenant("Acme").block();

		IssuedKey issued = this.store.createKey(tenant.id(), "bootstrap", Set.of(), "fk-bootstrap-secret-000")
			.block();

		assertThat(issued.secret()).isEqualTo("fk-bootstrap-secret-000");
		assertThat(issued.key().prefix()).isEqualTo("bootstra");
		assertThat(this.store.findKeyByHash(ApiKeys.hash("fk-bootstrap-secret-000")).block()).isEqualTo(issued.key());
	}

	@Test
	void sameSecretCannotBeIssuedTwice() {
		Tenant tenant = this.store.createTenant("Acme").block();
		this.store.createKey(tenant.id(), "one", Set.of(), "fk-bootstrap-secret-000").block();

		assertThatThrownBy(() -> this.store.createKey(tenant.id(), "two", Set.of(), "fk-bootstrap-secret-000").block())
			.isInstanceOf(RuntimeException.class);
	}

	@Test
	void malformedSuppliedSecretIsRejected() {
		Tenant tenant = this.store.createTenant("Acme").block();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.createKey(tenant.id(), "bad", Set.of(), "password").block());
	}

	@Test
	void keyForUnknownTenantIsNotIssued() {
		assertThat(this.store.createKey("ten_nope", "ci", Set.of(), null).blockOptional()).isEmpty();
	}

	@Test
	void allowedModelsSurviveTheRoundTrip() {
		Tenant tenant = this.store.createTenant("Acme").block();
		IssuedKey limited = this.store.createKey(tenant.id(), "limited", Set.of("chat-default", "embed"), null)
			.block();
		IssuedKey open = this.store.createKey(tenant.id(), "open", Set.of(), null).block();

		ApiKey limitedRead = this.store.findKeyByHash(ApiKeys.hash(limited.secret())).block();
		ApiKey openRead = this.store.findKeyByHash(ApiKeys.hash(open.secret())).block();

		assertThat(limitedRead.allowedModels()).containsExactlyInAnyOrder("chat-default", "embed");
		assertThat(limitedRead.allows("chat-default")).isTrue();
		assertThat(limitedRead.allows("chat-premium")).isFalse();
		assertThat(openRead.allowedModels()).isEmpty();
		assertThat(openRead.allows("chat-premium")).isTrue();
	}

	@Test
	void modelAliasWithCommaIsRejected() {
		Tenant tenant = this.store.createTenant("Acme").block();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.createKey(tenant.id(), "ci", Set.of("a,b"), null).block());
	}

	@Test
	void keysAreListedPerTenant() {
		Tenant acme = this.store.createTenant("Acme").block();
		Tenant other = this.store.createTenant("Other").block();
		IssuedKey first = this.store.createKey(acme.id(), "first", Set.of(), null).block();
		IssuedKey second = this.store.createKey(acme.id(), "second", Set.of(), null).block();
		this.store.createKey(other.id(), "theirs", Set.of(), null).block();

		List<ApiKey> keys = this.store.listKeys(acme.id()).collectList().block();

		assertThat(keys).containsExactly(first.key(), second.key());
	}

	@Test
	void keyIsFoundByItsId() {
		Tenant acme = this.store.createTenant("Acme").block();
		IssuedKey issued = this.store.createKey(acme.id(), "first", Set.of(), null).block();

		assertThat(this.store.findKey(issued.key().id()).block()).isEqualTo(issued.key());
		assertThat(this.store.findKey("key_unknown").block()).isNull();
	}

	@Test
	void revokedKeyIsFoundButInactive() {
		Tenant tenant = this.store.createTenant("Acme").block();
		IssuedKey issued = this.store.createKey(tenant.id(), "ci", Set.of(), null).block();

		assertThat(this.store.revokeKey(issued.key().id()).block()).isTrue();

		ApiKey read = this.store.findKeyByHash(ApiKeys.hash(issued.secret())).block();
		assertThat(read.active()).isFalse();
		assertThat(read.id()).isEqualTo(issued.key().id());
	}

	@Test
	void revokingTwiceIsHarmless() {
		Tenant tenant = this.store.createTenant("Acme").block();
		IssuedKey issued = this.store.createKey(tenant.id(), "ci", Set.of(), null).block();
		this.store.revokeKey(issued.key().id()).block();

		assertThat(this.store.revokeKey(issued.key().id()).block()).isTrue();
		assertThat(this.store.revokeTenant(tenant.id()).block()).isTrue();
		assertThat(this.store.revokeTenant(tenant.id()).block()).isTrue();
	}

	@Test
	void revokingUnknownKeyOrTenantMatchesNothing() {
		assertThat(this.store.revokeKey("key_nope").block()).isFalse();
		assertThat(this.store.revokeTenant("ten_nope").block()).isFalse();
	}

	@Test
	void revokingTenantRevokesItsKeysOnly() {
		Tenant acme = this.store.createTenant("Acme").block();
		Tenant other = this.store.createTenant("Other").block();
		IssuedKey first = this.store.createKey(acme.id(), "first", Set.of(), null).block();
		IssuedKey second = this.store.createKey(acme.id(), "second", Set.of(), null).block();
		IssuedKey theirs = this.store.createKey(other.id(), "theirs", Set.of(), null).block();

		assertThat(this.store.revokeTenant(acme.id()).block()).isTrue();

		assertThat(this.store.findTenant(acme.id()).block().active()).isFalse();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(first.secret())).block().active()).isFalse();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(second.secret())).block().active()).isFalse();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(theirs.secret())).block().active()).isTrue();
		assertThat(this.store.findTenant(other.id()).block().active()).isTrue();
	}

	@Test
	void keyForRevokedTenantIsNotIssued() {
		Tenant tenant = this.store.createTenant("Acme").block();
		this.store.revokeTenant(tenant.id()).block();

		assertThat(this.store.createKey(tenant.id(), "late", Set.of(), null).blockOptional()).isEmpty();
		assertThat(this.store.listKeys(tenant.id()).collectList().block()).isEmpty();
	}

}
