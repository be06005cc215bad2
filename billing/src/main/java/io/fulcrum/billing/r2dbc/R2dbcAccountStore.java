package io.fulcrum.billing.r2dbc;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

import io.fulcrum.billing.account.AccountIds;
import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.ApiKey;
import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Tenants and keys in the {@code tenants} and {@code api_keys} tables. */
public final class R2dbcAccountStore implements AccountStore {

	private static final String KEY_COLUMNS = "id, tenant_id, name, prefix, allowed_models, active, created_at";

	private static final String TENANT_COLUMNS = "id, name, active, created_at";

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final Clock clock;

	public R2dbcAccountStore(DatabaseClient client) {
		this(client, Clock.systemUTC());
	}

	public R2dbcAccountStore(DatabaseClient client, Clock clock) {
		this.client = client;
		this.transactions = TransactionalOperator
			.create(new R2dbcTransactionManager(Objects.requireNonNull(client.getConnectionFactory())));
		this.clock = clock;
	}

	@Override
	public Mono<ApiKey> findKeyByHash(String secretHash) {
		return this.client.sql("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE secret_hash = :hash")
			.bind("hash", secretHash)
			.map(R2dbcAccountStore::key)
			.one();
	}

	@Override
	public Mono<Tenant> createTenant(String name) {
		return Mono.defer(() -> {
			Tenant tenant = new Tenant(AccountIds.newTenantId(), requireName(name), true, now());
			return this.client
				.sql("INSERT INTO tenants (id, name, active, created_at) VALUES (:id, :name, TRUE, :createdAt)")
				.bind("id", tenant.id())
				.bind("name", tenant.name())
				.bind("createdAt", Columns.timestamp(tenant.createdAt()))
				.then()
				.thenReturn(tenant);
		});
	}

	@Override
	public Flux<Tenant> listTenants() {
		return this.client.sql("SELECT " + TENANT_COLUMNS + " FROM tenants ORDER BY created_at, id")
			.map(R2dbcAccountStore::tenant)
			.all();
	}

	@Override
	public Mono<ApiKey> findKey(String keyId) {
		return this.client.sql("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = :id")
			.bind("id", keyId)
			.map(R2dbcAccountStore::key)
			.one();
	}

	@Override
	public Mono<Tenant> findTenant(String tenantId) {
		return this.client.sql("SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = :id")
			.bind("id", tenantId)
			.map(R2dbcAccountStore::tenant)
			.one();
	}

	@Override
	public Mono<IssuedKey> createKey(String tenantId, String name, Set<String> allowedModels,
			@Nullable String secret) {
		return Mono.defer(() -> {
			String actualSecret = (secret != null) ? requireSecret(secret) : ApiKeys.generateSecret();
			ApiKey key = new ApiKey(AccountIds.newKeyId(), tenantId, requireName(name),
					ApiKeys.displayPrefix(actualSecret), allowedModels, true, now());
			// One statement checks the tenant and inserts, so a concurrent revoke cannot slip in between.
			return this.client.sql("""
					INSERT INTO api_keys (id, secret_hash, tenant_id, name, prefix, allowed_models, active, created_at)
					SELECT :id, :hash, id, :name, :prefix, :models, TRUE, :createdAt
					FROM tenants WHERE id = :tenantId AND active = TRUE""")
				.bind("id", key.id())
				.bind("hash", ApiKeys.hash(actualSecret))
				.bind("name", key.name())
				.bind("prefix", key.prefix())
				.bind("models", AllowedModels.join(key.allowedModels()))
				.bind("createdAt", Columns.timestamp(key.createdAt()))
				.bind("tenantId", tenantId)
				.fetch()
				.rowsUpdated()
				.filter((rows) -> rows > 0)
				.map((rows) -> new IssuedKey(key, actualSecret));
		});
	}

	@Override
	public Flux<ApiKey> listKeys(String tenantId) {
		return this.client
			.sql("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE tenant_id = :tenantId ORDER BY created_at, id")
			.bind("tenantId", tenantId)
			.map(R2dbcAccountStore::key)
			.all();
	}

	@Override
	public Mono<Boolean> revokeKey(String keyId) {
		return Mono.defer(() -> this.client.sql("""
				UPDATE api_keys SET active = FALSE, revoked_at = COALESCE(revoked_at, :now)
				WHERE id = :id""").bind("now", Columns.timestamp(now())).bind("id", keyId).fetch().rowsUpdated())
			.map((rows) -> rows > 0);
	}

	@Override
	public Mono<Boolean> revokeTenant(String tenantId) {
		return Mono.defer(() -> {
			OffsetDateTime now = Columns.timestamp(now());
			Mono<Long> tenant = this.client.sql("""
					UPDATE tenants SET active = FALSE, revoked_at = COALESCE(revoked_at, :now)
					WHERE id = :id""").bind("now", now).bind("id", tenantId).fetch().rowsUpdated();
			Mono<Long> keys = this.client.sql("""
					UPDATE api_keys SET active = FALSE, revoked_at = COALESCE(revoked_at, :now)
					WHERE tenant_id = :id""").bind("now", now).bind("id", tenantId).fetch().rowsUpdated();
			return tenant.flatMap((rows) -> (rows > 0) ? keys.thenReturn(true) : Mono.just(false))
				.as(this.transactions::transactional);
		});
	}

	/** Microseconds: what PostgreSQL keeps, so that a value reads back equal to what was written. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static String requireName(String name) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		return name;
	}

	private static String requireSecret(String secret) {
		if (!ApiKeys.looksLikeKey(secret)) {
			throw new IllegalArgumentException("secret must look like an app key (fk-...)");
		}
		return secret;
	}

	private static Tenant tenant(Readable row) {
		return new Tenant(Columns.text(row, "id"), Columns.text(row, "name"), Columns.flag(row, "active"),
				Columns.instant(row, "created_at"));
	}

	private static ApiKey key(Readable row) {
		return new ApiKey(Columns.text(row, "id"), Columns.text(row, "tenant_id"), Columns.text(row, "name"),
				Columns.text(row, "prefix"), AllowedModels.split(Columns.text(row, "allowed_models")),
				Columns.flag(row, "active"), Columns.instant(row, "created_at"));
	}

}
