/**
 * The R2DBC adapters of the billing stores, on Spring's {@code DatabaseClient} without a Spring context. Together
 * with {@code io.fulcrum.billing.schema} this is the only package that touches a database; the core packages only
 * see the store interfaces.
 */
@NullMarked
package io.fulcrum.billing.r2dbc;

import org.jspecify.annotations.NullMarked;
