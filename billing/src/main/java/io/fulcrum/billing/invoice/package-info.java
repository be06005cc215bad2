/**
 * Monthly invoices per tenant: lines per model, deployment and price book version, adjustments for late usage of
 * closed months, sequential numbers, and their HTML, PDF and CSV renderings. A closed invoice is never rewritten;
 * {@link io.fulcrum.billing.invoice.Reconciliation} shows that its total equals the ledger's sum. Plain Java, plus
 * PDFBox and Commons CSV for the renderings.
 */
@NullMarked
package io.fulcrum.billing.invoice;

import org.jspecify.annotations.NullMarked;
