package io.fulcrum.billing.account;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where tenants and app keys live. Keys are stored only as SHA-256 hashes of their secret; the secret of a new key
 * is returned once, by {@link #createKey}, and never again.
 */
public interface AccountStore {

	/** The key whose secret hashes to {@code secretHash} (see {@link ApiKeys#hash}), revoked or not; empty if none. */
	Mono<ApiKey> findKeyByHash(String secretHash);

	Mono<Tenant> createTenant(String name);

	Flux<Tenant> listTenants();

	/** The tenant, or empty when there is none with this id. */
	Mono<Tenant> findTenant(String tenantId);

	/**
	 * Issues a key for a tenant. {@code secret}, when given, is used instead of a generated one (the bootstrap key);
	 * it must pass {@link ApiKeys#looksLikeKey}, and issuing the same secret twice fails.
	 * @param allowedModels model aliases the key may call; empty means every model
	 * @return the key with its secret, or empty when the tenant is unknown or revoked
	 */
	Mono<IssuedKey> createKey(String tenantId, String name, Set<String> allowedModels, @Nullable String secret);

	Flux<ApiKey> listKeys(String tenantId);

	/** The key with this id, revoked or not; empty when there is none. */
	Mono<ApiKey> findKey(String keyId);

	/**
	 * Revokes a key; emits {@code true} when a key with this id exists (it is revoked now, or already was),
	 * {@code false} when none matched. Revoking twice is harmless.
	 */
	Mono<Boolean> revokeKey(String keyId);

	/** Revokes a tenant and all its keys; emits {@code false} when no tenant matched. Revoking twice is harmless. */
	Mono<Boolean> revokeTenant(String tenantId);

}
