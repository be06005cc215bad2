/**
 * The admin REST API under {@code /admin/api}: tenants, their app keys and the deployment list, as a functional
 * WebFlux router that the gateway mounts. No annotations and no auto-configuration: {@link AdminApi#routes} is the
 * whole wiring, and every answer, errors included, is JSON in OpenAI's shapes and snake_case.
 */
@NullMarked
package io.fulcrum.admin.api;

import org.jspecify.annotations.NullMarked;
