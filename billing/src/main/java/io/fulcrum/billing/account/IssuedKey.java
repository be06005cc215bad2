package io.fulcrum.billing.account;

import java.util.Objects;

/**
 * A key just issued, with its secret: the one moment the secret exists outside the client's hands.
 *
 * @param key the stored key
 * @param secret the full secret ({@code fk-...}); it is not stored and cannot be shown again
 */
public record IssuedKey(ApiKey key, String secret) {

	public IssuedKey {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(secret, "secret");
	}

	/** Leaves the secret out, so that logging an issued key cannot leak it. */
	@Override
	public String toString() {
		return "IssuedKey[key=" + this.key + ", secret=fk-" + this.key.prefix() + "...(redacted)]";
	}

}
