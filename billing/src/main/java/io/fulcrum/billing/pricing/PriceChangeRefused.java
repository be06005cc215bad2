package io.fulcrum.billing.pricing;

/**
 * A price change that would rewrite the past: its effective date is before now, or before a version already
 * written. The message says which, and is meant for the admin who asked. Carries no stack trace.
 */
public final class PriceChangeRefused extends RuntimeException {

	public PriceChangeRefused(String message) {
		super(message, null, false, false);
	}

}
