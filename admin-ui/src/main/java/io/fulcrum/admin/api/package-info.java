/**
 * The admin REST API under {@code /admin/api}: tenants, their app keys, the deployment list, and (with a
 * {@link BillingAdmin}) price books, tenant pricing and invoices, as a functional WebFlux router that the gateway
 * mounts. No annotations and no auto-configuration: {@link AdminApi#routes} is the whole wiring, and every answer,
 * errors included, is JSON in OpenAI's shapes and snake_case (invoices can also be had as HTML, PDF or CSV).
 */
@NullMarked
package io.fulcrum.admin.api;

import org.jspecify.annotations.NullMarked;
