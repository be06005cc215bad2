package io.fulcrum.gateway.catalog;

/**
 * A provider credential. Its {@link #toString()} never prints the value, so it can sit in records, logs and
 * exception messages safely.
 */
public final class Secret {

	public static final Secret NONE = new Secret("");

	private final String value;

	private Secret(String value) {
		this.value = value;
	}

	public static Secret of(String value) {
		return value.isEmpty() ? NONE : new Secret(value);
	}

	/** The credential itself; call only where it is put on the wire. */
	public String reveal() {
		return this.value;
	}

	public boolean isPresent() {
		return !this.value.isEmpty();
	}

	@Override
	public String toString() {
		return isPresent() ? "****" : "(none)";
	}

}
