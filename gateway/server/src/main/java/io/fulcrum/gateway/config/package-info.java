/**
 * Binding of the {@code fulcrum.*} configuration and its one-time conversion into the immutable
 * {@link io.fulcrum.gateway.catalog.DeploymentCatalog}. Validation collects every problem before failing, so an
 * operator fixes a broken configuration in one pass.
 */
@NullMarked
package io.fulcrum.gateway.config;

import org.jspecify.annotations.NullMarked;
