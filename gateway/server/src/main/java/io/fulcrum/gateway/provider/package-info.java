/**
 * The seam between the gateway and model providers. {@link io.fulcrum.gateway.provider.ProviderClient} speaks the
 * canonical (OpenAI-shaped) request and chunk format; one package per provider protocol maps it to the wire and
 * back, and classifies failures so the dispatcher knows whether to retry, fall back or give up.
 */
@NullMarked
package io.fulcrum.gateway.provider;

import org.jspecify.annotations.NullMarked;
