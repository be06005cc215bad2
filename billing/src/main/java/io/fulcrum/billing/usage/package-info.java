/**
 * Token usage and the usage ledger: one record per provider attempt, exact when the provider reported usage and
 * marked as estimated when Fulcrum had to count. Plain Java.
 */
@NullMarked
package io.fulcrum.billing.usage;

import org.jspecify.annotations.NullMarked;
