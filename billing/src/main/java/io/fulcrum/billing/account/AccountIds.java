package io.fulcrum.billing.account;

/** Random ids for tenants and keys; the type prefix makes an id's kind obvious in logs and URLs. */
public final class AccountIds {

	/** 15 bytes encode to 20 base64 characters without padding: 120 bits, ample against collisions. */
	private static final int ID_BYTES = 15;

	private AccountIds() {
	}

	/** A new tenant id, {@code ten_...}. */
	public static String newTenantId() {
		return "ten_" + ApiKeys.randomUrlSafe(ID_BYTES);
	}

	/** A new key id, {@code key_...}. */
	public static String newKeyId() {
		return "key_" + ApiKeys.randomUrlSafe(ID_BYTES);
	}

}
