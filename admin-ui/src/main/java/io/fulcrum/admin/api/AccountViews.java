package io.fulcrum.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import io.fulcrum.billing.account.ApiKey;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;

/**
 * The JSON shapes of tenants and keys, in snake_case. Only {@link #issued} carries a secret, and no view carries a
 * hash.
 */
final class AccountViews {

	private AccountViews() {
	}

	static Map<String, Object> tenant(Tenant tenant) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", tenant.id());
		view.put("name", tenant.name());
		view.put("active", tenant.active());
		view.put("created_at", tenant.createdAt().toString());
		return view;
	}

	static Map<String, Object> key(ApiKey key) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", key.id());
		view.put("tenant_id", key.tenantId());
		view.put("name", key.name());
		view.put("prefix", key.prefix());
		// Sorted, so that listings are stable; empty means every model.
		view.put("models", new TreeSet<>(key.allowedModels()));
		view.put("active", key.active());
		view.put("created_at", key.createdAt().toString());
		return view;
	}

	/** The key with its secret: answered once, when the key is issued. */
	static Map<String, Object> issued(IssuedKey issued) {
		Map<String, Object> view = key(issued.key());
		view.put("secret", issued.secret());
		return view;
	}

}
