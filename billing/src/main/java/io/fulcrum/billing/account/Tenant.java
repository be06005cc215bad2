package io.fulcrum.billing.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer of the gateway: it holds app keys and is billed for their usage.
 *
 * @param id {@code ten_} followed by a random URL-safe string
 * @param name a human name, shown in the admin UI
 * @param active {@code false} once revoked; a revoked tenant's keys are revoked too
 * @param createdAt when the tenant was created
 */
public record Tenant(String id, String name, boolean active, Instant createdAt) {

	public Tenant {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(createdAt, "createdAt");
	}

}
