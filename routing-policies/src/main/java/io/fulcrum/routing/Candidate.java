package io.fulcrum.routing;

import java.util.Objects;

/**
 * One deployment that could serve a request, with what the router knows about it now.
 *
 * @param deploymentId the deployment's configured id
 * @param priority lower goes first; equal priorities keep their configured order
 * @param acceptingRequests {@code false} while the deployment's circuit breaker is open: it is then tried only
 * after every healthy candidate
 */
public record Candidate(String deploymentId, int priority, boolean acceptingRequests) {

	public Candidate {
		Objects.requireNonNull(deploymentId, "deploymentId");
	}

}
