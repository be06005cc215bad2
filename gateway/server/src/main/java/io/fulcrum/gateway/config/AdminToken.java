package io.fulcrum.gateway.config;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of the admin API: {@code fulcrum.server.admin-token} ({@code FULCRUM_ADMIN_TOKEN}), or, when
 * none is configured, a random one generated at start-up and logged once so the operator can use it.
 */
public record AdminToken(String value) {

	private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

	@Override
	public String toString() {
		return "AdminToken[****]";
	}

	static AdminToken fromConfig(String configured) {
		if (!configured.isBlank()) {
			return new AdminToken(configured.trim());
		}
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		String generated = "fadm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		log.warn("No FULCRUM_ADMIN_TOKEN set; the admin API accepts this generated token until restart: {}",
				generated);
		return new AdminToken(generated);
	}

}
