/**
 * The validated, immutable view of what Fulcrum can call: providers, their deployments with prices and timeouts,
 * and the model aliases apps name. Built once at start-up.
 */
@NullMarked
package io.fulcrum.gateway.catalog;

import org.jspecify.annotations.NullMarked;
