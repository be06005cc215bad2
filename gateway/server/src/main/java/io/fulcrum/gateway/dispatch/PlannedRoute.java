package io.fulcrum.gateway.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.fulcrum.gateway.catalog.Deployment;
import org.jspecify.annotations.Nullable;

/**
 * Where a request goes: deployments to try in order and, optionally, a hedge that races the first of them.
 *
 * @param order the deployments to try, the router's choice first
 * @param hedge a second attempt to start if the first has produced no token after a delay, or {@code null}
 */
public record PlannedRoute(List<Deployment> order, @Nullable Hedge hedge) {

	public PlannedRoute {
		order = List.copyOf(order);
		if (order.isEmpty()) {
			throw new IllegalArgumentException("a route needs at least one deployment");
		}
	}

	/** A route without a hedge. */
	public static PlannedRoute of(List<Deployment> order) {
		return new PlannedRoute(order, null);
	}

	/**
	 * A hedge: {@code deployment} is tried alongside the first choice once {@code delay} has passed without its first
	 * token (for an unstreamed request: without its answer).
	 */
	public record Hedge(Deployment deployment, Duration delay) {

		public Hedge {
			Objects.requireNonNull(deployment, "deployment");
			if (delay.isNegative()) {
				throw new IllegalArgumentException("a hedge's delay must not be negative");
			}
		}

	}

}
