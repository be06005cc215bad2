/**
 * The billing schema and its migrations. Flyway runs them over JDBC before any R2DBC connection opens, because
 * Flyway has no reactive driver; the same migration runs on PostgreSQL and on H2 in PostgreSQL mode.
 */
@NullMarked
package io.fulcrum.billing.schema;

import org.jspecify.annotations.NullMarked;
