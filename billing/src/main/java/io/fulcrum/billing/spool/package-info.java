/**
 * The durable local spool: usage records written ahead of the database, in append-only files fsynced per batch, so
 * that neither a database outage nor a killed process loses them; replayed in order, idempotently, until the
 * database has them.
 */
@NullMarked
package io.fulcrum.billing.spool;

import org.jspecify.annotations.NullMarked;
