package io.fulcrum.routing;

import java.util.Objects;

/**
 * The configured, slowly changing facts about a deployment: who runs it, what it costs, what to expect of it.
 *
 * @param id the deployment's configured id
 * @param provider the provider it belongs to (constraints such as "allowed providers" match this)
 * @param local whether it runs on the team's own hardware (constraints such as "local only" match this)
 * @param prices its price list
 * @param prior latency to assume before observations arrive
 * @param maxConcurrency requests it serves at once before queueing, or 0 when unknown
 */
public record DeploymentProfile(String id, String provider, boolean local, TokenPrices prices, LatencyPrior prior,
		int maxConcurrency) {

	public DeploymentProfile {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(provider, "provider");
		Objects.requireNonNull(prices, "prices");
		Objects.requireNonNull(prior, "prior");
		if (maxConcurrency < 0) {
			throw new IllegalArgumentException("maxConcurrency must not be negative");
		}
	}

}
