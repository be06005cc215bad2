/**
 * What apps see: the Spring Cloud Gateway filters that authenticate and terminate {@code fulcrum://} routes, and one
 * endpoint class per API ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models},
 * {@code /v1/messages}) that decodes and validates the request, hands it to the dispatcher and writes the answer,
 * as JSON or as Server-Sent Events.
 */
@NullMarked
package io.fulcrum.gateway.ingress;

import org.jspecify.annotations.NullMarked;
