package io.fulcrum.gateway.catalog;

import java.time.Duration;

import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.routing.DeploymentProfile;

/**
 * One model on one provider: the unit the router chooses between and the circuit breaker guards.
 *
 * @param id the configured id, shown to clients in {@code x-fulcrum-deployment}
 * @param upstreamModel the model name sent to the provider
 * @param maxRetries retries on this deployment for retryable errors before falling back to the next
 * @param routing what the router knows about it from configuration (prices, expected latency, whether local)
 */
public record Deployment(String id, ProviderEndpoint provider, String upstreamModel, TokenPrice price, int priority,
		int maxRetries, Duration retryBackoff, DeploymentProfile routing) {

}
