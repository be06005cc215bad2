/**
 * Tenants and the app keys they hold. Plain Java: the stores that persist them live in
 * {@code io.fulcrum.billing.r2dbc}.
 */
@NullMarked
package io.fulcrum.billing.account;

import org.jspecify.annotations.NullMarked;
