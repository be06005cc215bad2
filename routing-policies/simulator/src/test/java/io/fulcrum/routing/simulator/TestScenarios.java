package io.fulcrum.routing.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.simulator.scenario.ScenarioLoader;
import io.fulcrum.routing.simulator.trace.TraceRequest;

/** Small scenarios and synthetic traces for tests. */
public final class TestScenarios {

	/**
	 * Three hosted deployments: cheap (slowest first token), mid, premium (fastest, dearest). With a 2 s TTFT
	 * objective at p95 all three qualify in steady state, so cost decides.
	 */
	public static final String THREE_HOSTED = """
			name: three-hosted
			alias: chat
			deployments:
			  - id: cheap
			    prices: { input: 0.10, output: 0.40 }
			    ttft: { median: 700ms, sigma: 0.3 }
			    tokens-per-second: 80
			    error-rate: 0.002
			  - id: mid
			    prices: { input: 0.50, output: 2.00 }
			    ttft: { median: 500ms, sigma: 0.3 }
			    tokens-per-second: 120
			    error-rate: 0.002
			  - id: premium
			    prices: { input: 3.00, output: 12.00 }
			    ttft: { median: 300ms, sigma: 0.25 }
			    tokens-per-second: 150
			    error-rate: 0.001
			slo-classes:
			  interactive: { ttft: 2s, e2e: 30s, target: 0.95 }
			policy:
			  objective: cost-under-slo
			  exploration: 0.02
			%s
			""";

	private TestScenarios() {
	}

	/** {@link #THREE_HOSTED} with extra top-level YAML (e.g. windows) appended. */
	public static Scenario threeHosted(String extra) {
		return ScenarioLoader.parse(THREE_HOSTED.formatted(extra), "three-hosted");
	}

	/** Poisson arrivals at {@code perSecond}, prompts of 200 to 2,000 tokens, outputs of 20 to 400. */
	public static List<TraceRequest> poisson(int count, double perSecond, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<TraceRequest> trace = new ArrayList<>(count);
		double at = 0;
		for (int i = 0; i < count; i++) {
			at += -Math.log(1 - random.nextDouble()) / perSecond;
			trace.add(new TraceRequest(i, Math.round(at * 1e9), 200 + random.nextInt(1800), 20 + random.nextInt(380),
					null, null));
		}
		return trace;
	}

}
