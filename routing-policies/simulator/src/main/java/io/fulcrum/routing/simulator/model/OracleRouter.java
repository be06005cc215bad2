package io.fulcrum.routing.simulator.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The offline oracle: it knows each request's realised latency and fate on every deployment (the same luck the
 * simulation will use) and the true state of rate limits and GPU batches, and picks the cheapest deployment that
 * would meet the request's SLO; when none would, the fastest. It does not foresee queueing that later requests
 * cause, so it is a lower bound on cost at (nearly) full attainment rather than an exact optimum.
 */
final class OracleRouter {

	private final SimDeployment[] deployments;

	OracleRouter(SimDeployment[] deployments) {
		this.deployments = deployments;
	}

	int[] route(Flight flight, long now) {
		List<Option> options = new ArrayList<>(this.deployments.length);
		for (SimDeployment deployment : this.deployments) {
			boolean closed = deployment.breaker.allows(now);
			Forecast forecast = closed ? deployment.forecast(flight, now) : Forecast.FAILS;
			boolean meets = !forecast.fails() && flight.sloClass.met(forecast.ttftNanos(), forecast.e2eNanos());
			double cost = deployment.spec.prices()
				.cost(flight.request.promptTokens(), 0, flight.request.outputTokens());
			int group = meets ? 0 : forecast.fails() ? 2 : 1;
			// Meeting the SLO: cheapest first. Not meeting it: fastest first (for a stream, first token first).
			double key = group == 0 ? cost : flight.sloClass.stream() && flight.sloClass.slo().ttftNanos() > 0
					? forecast.ttftNanos() : forecast.e2eNanos();
			options.add(new Option(deployment.index, group, key));
		}
		options.sort(Comparator.comparingInt(Option::group).thenComparingDouble(Option::key)
			.thenComparingInt(Option::index));
		return options.stream().mapToInt(Option::index).toArray();
	}

	private record Option(int index, int group, double key) {
	}

}
