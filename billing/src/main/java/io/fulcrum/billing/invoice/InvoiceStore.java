package io.fulcrum.billing.invoice;

import java.time.YearMonth;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closes tenants' months into invoices and keeps them. An invoice bills the tenant's ledger records of its month
 * that the ledger held when it was closed, plus, as adjustments, records of earlier months that arrived after those
 * were closed. Every record is billed exactly once, and no ledger row is ever updated.
 */
public interface InvoiceStore {

	/**
	 * Closes {@code period} for the tenant: numbers and writes its invoice in one transaction.
	 * @throws InvoiceRefused (as the error signal) when the month is closed already, has not ended, or a later
	 * month of the tenant is closed
	 */
	Mono<Invoice> close(String tenantId, YearMonth period);

	/** The invoice with that number, or empty. */
	Mono<Invoice> find(String number);

	/** A tenant's invoices, oldest first. */
	Flux<Invoice> list(String tenantId);

	/** Recomputes from the ledger what the invoice covers and sets it next to its total; empty for no invoice. */
	Mono<Reconciliation> reconcile(String number);

}
