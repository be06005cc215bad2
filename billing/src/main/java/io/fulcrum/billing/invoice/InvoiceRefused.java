package io.fulcrum.billing.invoice;

/** A period that cannot be closed, and why; the message is meant for the admin who asked. No stack trace. */
public final class InvoiceRefused extends RuntimeException {

	private final Reason reason;

	public InvoiceRefused(Reason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	/** Why closing was refused. */
	public enum Reason {

		/** The tenant's month already has an invoice, which is never rewritten. */
		ALREADY_CLOSED,

		/** The month has not ended yet. */
		PERIOD_NOT_ENDED,

		/** A later month of the tenant is closed already; months close in order. */
		OUT_OF_ORDER

	}

}
