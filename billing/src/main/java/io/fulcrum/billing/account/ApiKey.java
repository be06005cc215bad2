package io.fulcrum.billing.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An app key as stored: everything but the secret, which exists only as a hash.
 *
 * @param id {@code key_} followed by a random URL-safe string
 * @param tenantId the tenant billed for the key's usage
 * @param name a human name, shown in the admin UI
 * @param prefix the first characters of the secret after {@code fk-}, so that people can tell keys apart
 * @param allowedModels model aliases the key may call; empty means every model
 * @param active {@code false} once the key or its tenant was revoked
 * @param createdAt when the key was issued
 */
public record ApiKey(String id, String tenantId, String name, String prefix, Set<String> allowedModels,
		boolean active, Instant createdAt) {

	public ApiKey {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(tenantId, "tenantId");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(prefix, "prefix");
		allowedModels = Set.copyOf(allowedModels);
		Objects.requireNonNull(createdAt, "createdAt");
	}

	/** Whether the key may call {@code modelAlias}; says nothing about whether the key is active. */
	public boolean allows(String modelAlias) {
		return this.allowedModels.isEmpty() || this.allowedModels.contains(modelAlias);
	}

}
