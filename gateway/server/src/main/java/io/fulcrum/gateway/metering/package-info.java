/**
 * Turns what each provider attempt produced into a priced {@link io.fulcrum.billing.usage.UsageRecord}: exact
 * usage when the provider reported it, otherwise counted with a real tokenizer and marked as estimated. Failed
 * attempts are recorded at zero charge, so a fallback never bills twice.
 */
@NullMarked
package io.fulcrum.gateway.metering;

import org.jspecify.annotations.NullMarked;
