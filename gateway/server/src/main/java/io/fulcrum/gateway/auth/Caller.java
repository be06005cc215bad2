package io.fulcrum.gateway.auth;

import io.fulcrum.billing.account.ApiKey;

/** The authenticated sender of a request: its app key and, through it, its tenant. */
public record Caller(ApiKey key) {

	public String tenantId() {
		return this.key.tenantId();
	}

	public String keyId() {
		return this.key.id();
	}

	public boolean mayUse(String modelAlias) {
		return this.key.allows(modelAlias);
	}

}
