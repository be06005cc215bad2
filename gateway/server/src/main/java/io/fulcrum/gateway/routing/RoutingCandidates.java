package io.fulcrum.gateway.routing;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.TelemetrySettings;

/**
 * The router's view of the catalog: one {@link Candidate} per deployment, built once, whose live statistics the
 * gateway keeps up to date.
 */
public final class RoutingCandidates {

	private final TelemetrySettings settings;

	private final ConcurrentHashMap<String, Candidate> candidates = new ConcurrentHashMap<>();

	public RoutingCandidates(TelemetrySettings settings) {
		this.settings = settings;
	}

	/** The candidate for {@code deployment}, created on first use. */
	public Candidate candidate(Deployment deployment) {
		return this.candidates.computeIfAbsent(deployment.id(), id -> new Candidate(profile(deployment),
				deployment.priority(), new DeploymentStats(id, this.settings)));
	}

	/** Candidates for deployments, in the same order. */
	public List<Candidate> candidates(List<Deployment> deployments) {
		return deployments.stream().map(this::candidate).toList();
	}

	static DeploymentProfile profile(Deployment deployment) {
		TokenPrices prices = new TokenPrices(deployment.price().inputPerMillion().doubleValue(),
				deployment.price().outputPerMillion().doubleValue(),
				deployment.price().cachedInputPerMillion().doubleValue(), 0);
		return new DeploymentProfile(deployment.id(), deployment.provider().id(), false, prices,
				LatencyPrior.UNKNOWN, 0);
	}

}
