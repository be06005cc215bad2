/**
 * App-key authentication: resolves the {@code fk-…} key of a request to its tenant through a short-lived cache in
 * front of the {@link io.fulcrum.billing.account.AccountStore}, so the request path does no database round trip
 * for a key it has seen recently.
 */
@NullMarked
package io.fulcrum.gateway.auth;

import org.jspecify.annotations.NullMarked;
