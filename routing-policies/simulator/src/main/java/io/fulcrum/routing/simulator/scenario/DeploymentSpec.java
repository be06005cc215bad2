package io.fulcrum.routing.simulator.scenario;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.TokenPrices;

/**
 * How one deployment behaves in the simulation. A hosted deployment draws each request's time to first token and
 * per-token time from its distributions; a local GPU ({@code gpu} set) derives them from its batch and queue.
 *
 * @param id the deployment id
 * @param provider its provider
 * @param local whether it is the team's own hardware
 * @param prices what a successful request costs
 * @param ttft time to first token of a hosted deployment (ignored for a GPU)
 * @param perToken seconds per generated token after the first, of a hosted deployment (ignored for a GPU)
 * @param prefillTokensPerSecond for a hosted deployment, prompt tokens per second added to the time to first
 * token, or 0 when the distribution already covers the prompt
 * @param errorRate probability that an attempt fails (5xx) outside any outage
 * @param limits requests and tokens per minute
 * @param maxConcurrency requests served at once before the provider queues them, or 0 for no limit
 * @param gpu the batching model of a local GPU, or {@code null} for a hosted deployment
 * @param prior what the router assumes before observations (the medians, unless configured)
 */
public record DeploymentSpec(String id, String provider, boolean local, TokenPrices prices, LatencyDistribution ttft,
		LatencyDistribution perToken, double prefillTokensPerSecond, double errorRate, RateLimits limits,
		int maxConcurrency, @Nullable GpuSpec gpu, LatencyPrior prior) {

	/** The profile the router is configured with: prices, prior and concurrency, nothing it could not know. */
	public DeploymentProfile profile() {
		int concurrency = this.gpu != null ? this.gpu.maxBatch() : this.maxConcurrency;
		return new DeploymentProfile(this.id, this.provider, this.local, this.prices, this.prior, concurrency);
	}

}
