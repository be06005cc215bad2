/**
 * The gateway's meters, named after OpenTelemetry's GenAI conventions where one exists ({@code gen_ai.*}) and
 * {@code fulcrum.*} otherwise, with low-cardinality tags only.
 */
@NullMarked
package io.fulcrum.gateway.metrics;

import org.jspecify.annotations.NullMarked;
