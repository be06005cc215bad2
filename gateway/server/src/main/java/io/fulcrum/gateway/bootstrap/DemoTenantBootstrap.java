package io.fulcrum.gateway.bootstrap;

import java.time.Duration;
import java.util.Set;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.billing.account.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * On first start (no tenant exists yet) creates the {@code demo} tenant with one app key: the value of
 * {@code FULCRUM_BOOTSTRAP_API_KEY} when set, otherwise a generated key that is logged this once. On later starts
 * a configured bootstrap key that is not stored yet is added to the demo tenant, so the variable always works.
 */
public final class DemoTenantBootstrap implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(DemoTenantBootstrap.class);

	static final String DEMO_TENANT = "demo";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final AccountStore accounts;

	private final String configuredKey;

	public DemoTenantBootstrap(AccountStore accounts, String configuredKey) {
		this.accounts = accounts;
		this.configuredKey = configuredKey.trim();
	}

	@Override
	public void afterSingletonsInstantiated() {
		// Start-up, not an event loop: blocking here keeps the gateway from serving before its demo key exists.
		Tenant demo = this.accounts.listTenants()
			.filter(t -> t.name().equals(DEMO_TENANT) && t.active())
			.next()
			.block(TIMEOUT);
		boolean firstStart = this.accounts.listTenants().hasElements().map(any -> !any).block(TIMEOUT);
		if (!this.configuredKey.isEmpty()) {
			if (!ApiKeys.looksLikeKey(this.configuredKey)) {
				throw new IllegalStateException(
						"FULCRUM_BOOTSTRAP_API_KEY must look like an app key: 'fk-' followed by at least 20 URL-safe characters");
			}
			boolean stored = this.accounts.findKeyByHash(ApiKeys.hash(this.configuredKey)).hasElement().block(TIMEOUT);
			if (!stored) {
				Tenant tenant = demo != null ? demo : this.accounts.createTenant(DEMO_TENANT).block(TIMEOUT);
				this.accounts.createKey(tenant.id(), "bootstrap", Set.of(), this.configuredKey).block(TIMEOUT);
				log.info("Added FULCRUM_BOOTSTRAP_API_KEY to tenant '{}'", DEMO_TENANT);
			}
			return;
		}
		if (firstStart) {
			Tenant tenant = this.accounts.createTenant(DEMO_TENANT).block(TIMEOUT);
			String secret = ApiKeys.generateSecret();
			this.accounts.createKey(tenant.id(), "demo", Set.of(), secret).block(TIMEOUT);
			log.warn("Created tenant '{}' with app key {} (shown only now; keep it, or set FULCRUM_BOOTSTRAP_API_KEY)",
					DEMO_TENANT, secret);
		}
	}

}
