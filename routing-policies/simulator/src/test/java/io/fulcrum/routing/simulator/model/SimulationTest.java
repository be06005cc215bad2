package io.fulcrum.routing.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.simulator.TestScenarios;
import io.fulcrum.routing.simulator.policy.Policies;
import io.fulcrum.routing.simulator.policy.PolicyChoice;
import io.fulcrum.routing.simulator.report.PolicyResult;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.simulator.scenario.ScenarioLoader;
import io.fulcrum.routing.simulator.trace.TraceRequest;

class SimulationTest {

	private static final List<TraceRequest> TRACE = TestScenarios.poisson(3000, 5, 11);

	private static PolicyResult run(Scenario scenario, List<TraceRequest> trace, PolicyChoice policy, long seed) {
		return new Simulation(scenario, trace, policy, seed).run();
	}

	@Test
	void theSameSeedGivesTheSameResultsAndAnotherSeedOthers() {
		Scenario scenario = TestScenarios.threeHosted("");
		for (PolicyChoice policy : Policies.all()) {
			PolicyResult first = run(scenario, TRACE, policy, 7);
			PolicyResult again = run(scenario, TRACE, policy, 7);
			assertThat(again).usingRecursiveComparison().ignoringFields("wallNanos").isEqualTo(first);
			PolicyResult other = run(scenario, TRACE, policy, 8);
			assertThat(other.costUsd()).as(policy.name()).isNotEqualTo(first.costUsd());
		}
	}

	@Test
	void everyRequestIsAccountedFor() {
		PolicyResult result = run(TestScenarios.threeHosted(""), TRACE, Policies.FULCRUM, 1);
		assertThat(result.requests()).isEqualTo(TRACE.size());
		assertThat(result.served() + result.failed() + result.rejected()).isEqualTo(TRACE.size());
		assertThat(result.servedBy().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.served());
		assertThat(result.classRequests()).containsEntry("interactive", (long) TRACE.size());
	}

	@Test
	void theOracleIsNeverDearerThanAPolicyThatAttainsAsMuch() {
		Scenario scenario = TestScenarios.threeHosted("");
		List<PolicyResult> results = new ArrayList<>();
		for (PolicyChoice policy : Policies.all()) {
			results.add(run(scenario, TRACE, policy, 3));
		}
		PolicyResult oracle = results.get(results.size() - 1);
		assertThat(oracle.policy()).isEqualTo("oracle");
		assertThat(oracle.attainment()).isGreaterThanOrEqualTo(0.999);
		for (PolicyResult other : results) {
			if (other.attainment() >= oracle.attainment()) {
				assertThat(oracle.costUsd()).as(other.policy()).isLessThanOrEqualTo(other.costUsd());
			}
		}
	}

	@Test
	void fulcrumMovesTrafficOffADeploymentDuringItsBrownoutAndKeepsTheSlo() {
		Scenario steady = TestScenarios.threeHosted("");
		Scenario brownout = TestScenarios.threeHosted(
				"windows: [ { deployment: cheap, kind: brownout, from: 200s, to: 400s, factor: 5 } ]");
		PolicyResult before = run(steady, TRACE, Policies.FULCRUM, 5);
		PolicyResult during = run(brownout, TRACE, Policies.FULCRUM, 5);
		// A third of the trace falls in the window; most of cheap's share of it should go elsewhere.
		assertThat(before.servedBy().get("cheap")).isGreaterThan(2000);
		assertThat(during.servedBy().get("cheap")).isLessThan(before.servedBy().get("cheap") - 600);
		assertThat(during.attainment()).isGreaterThan(0.95);
		// Minute by minute: minutes 4 and 5 lie wholly inside the window (200 s to 400 s).
		long[] cheapPerMinute = during.timeline().servedBy().get("cheap");
		long[] requestsPerMinute = during.timeline().requests();
		assertThat(cheapPerMinute[1] + cheapPerMinute[2]).isGreaterThan((requestsPerMinute[1] + requestsPerMinute[2]) / 2);
		assertThat(cheapPerMinute[4] + cheapPerMinute[5]).isLessThan((requestsPerMinute[4] + requestsPerMinute[5]) / 5);
		// The always-cheapest baseline does not move, and pays for it in attainment.
		PolicyResult cheapest = run(brownout, TRACE, Policies.CHEAPEST, 5);
		assertThat(cheapest.attainment()).isLessThan(during.attainment());
	}

	@Test
	void hedgesRaceTheFirstAttemptCancelTheLoserAndCountItsCostAsWaste() {
		// Hedges planned whenever the first choice is below 99.9%, whatever the error budget could afford.
		Scenario brownout = TestScenarios.threeHosted("  hedging: { priced: false }\n"
				+ "windows: [ { deployment: cheap, kind: brownout, from: 200s, to: 400s, factor: 5 } ]");
		PolicyResult plain = run(brownout, TRACE, Policies.FULCRUM, 5);
		PolicyResult hedged = run(brownout, TRACE, Policies.FULCRUM_HEDGED, 5);
		assertThat(plain.hedges()).isEqualTo(new PolicyResult.Hedges(0, 0, 0));
		assertThat(hedged.hedges().sent()).isPositive();
		assertThat(hedged.hedges().won()).isPositive().isLessThan(hedged.hedges().sent());
		assertThat(hedged.hedges().wasteUsd()).isPositive().isLessThan(hedged.costUsd() / 10);
		// A hedged request is still one request, served once.
		assertThat(hedged.served() + hedged.failed() + hedged.rejected()).isEqualTo(TRACE.size());
		assertThat(hedged.servedBy().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(hedged.served());
	}

	@Test
	void aHedgeWinningOverAQueuedOrRunningGpuRequestFreesItsPlace() {
		Scenario gpu = ScenarioLoader.parse("""
				alias: chat
				deployments:
				  - id: gpu
				    prices: { input: 0.01, output: 0.05 }
				    gpu:
				      max-batch: 4
				      prefill-tokens-per-second: 4000
				      decode-tokens-per-second: { 1: 60, 4: 40 }
				      queue-limit: 32
				  - id: hosted
				    prices: { input: 1.00, output: 4.00 }
				    ttft: { median: 300ms, sigma: 0.3 }
				    tokens-per-second: 150
				windows: [ { deployment: gpu, kind: brownout, from: 100s, to: 300s, factor: 4 } ]
				slo-classes:
				  interactive: { ttft: 2s, e2e: 30s, target: 0.95 }
				policy:
				  hedging: { priced: false }
				""", "gpu-brownout");
		List<TraceRequest> trace = TestScenarios.poisson(2000, 3, 5);
		PolicyResult hedged = run(gpu, trace, Policies.FULCRUM_HEDGED, 9);
		assertThat(hedged.hedges().won()).isPositive();
		assertThat(hedged.served() + hedged.failed() + hedged.rejected()).isEqualTo(trace.size());
		assertThat(hedged.servedBy().get("gpu")).isPositive();
		assertThat(hedged.attainment()).isGreaterThan(0.95);
	}

	@Test
	void failedAttemptsFallBackCostNothingAndAddTheirTime() {
		Scenario healthy = ScenarioLoader.parse(TestScenarios.THREE_HOSTED.formatted(""), "healthy");
		Scenario outage = TestScenarios.threeHosted(
				"windows: [ { deployment: cheap, kind: outage, from: 0s, to: 2h, error-rate: 1 } ]");
		PolicyResult failing = run(outage, TRACE, Policies.CHEAPEST, 2);
		assertThat(failing.servedBy().get("cheap")).isZero();
		assertThat(failing.failed()).isZero();
		assertThat(failing.fallbacks()).isPositive();
		// The breaker opens after 5 failures for 30 s, so only a few requests per 30 s try the broken deployment.
		assertThat(failing.fallbacks()).isLessThan(TRACE.size() / 10);
		// Luck belongs to (request, deployment id): "mid" serves the same requests equally fast either way, so the
		// cost is exactly that of a scenario without the broken deployment.
		Scenario withoutCheap = ScenarioLoader.parse(TestScenarios.THREE_HOSTED.formatted("")
			.replaceFirst("(?s)  - id: cheap.*?(  - id: mid)", "$1"), "without-cheap");
		PolicyResult reference = run(withoutCheap, TRACE, Policies.CHEAPEST, 2);
		assertThat(failing.costUsd()).isCloseTo(reference.costUsd(), within(1e-9));
		assertThat(failing.e2e().p99()).isGreaterThan(reference.e2e().p99());
		assertThat(healthy.deployments()).hasSize(3);
	}

	@Test
	void rateLimitsAnswer429AndTheRequestFallsBack() {
		Scenario limited = ScenarioLoader.parse(TestScenarios.THREE_HOSTED.formatted("")
			.replace("tokens-per-second: 80", "tokens-per-second: 80\n    limits: { requests-per-minute: 60 }"),
				"limited");
		PolicyResult result = run(limited, TRACE, Policies.CHEAPEST, 4);
		long minutes = TRACE.get(TRACE.size() - 1).arrivalNanos() / 60_000_000_000L + 1;
		assertThat(result.servedBy().get("cheap")).isLessThanOrEqualTo(60 * minutes);
		assertThat(result.servedBy().get("cheap")).isGreaterThan(50 * (minutes - 1));
		assertThat(result.failed()).isZero();
		assertThat(result.servedBy().get("mid")).isPositive();
	}

	@Test
	void aGpuQueuesBeyondItsBatchAndSharesDecodeSpeedWithinIt() {
		Scenario gpu = ScenarioLoader.parse("""
				alias: chat
				deployments:
				  - id: gpu
				    gpu:
				      max-batch: 2
				      prefill-tokens-per-second: 1000000000
				      decode-tokens-per-second: { 1: 20, 2: 10 }
				      jitter: 0
				      base-ttft: 0s
				slo-classes:
				  interactive: { e2e: 1.6s }
				""", "gpu");
		// Three requests at once, 11 output tokens each (10 to decode after the first token).
		List<TraceRequest> burst = List.of(new TraceRequest(0, 0, 1, 11, null, null),
				new TraceRequest(1, 0, 1, 11, null, null), new TraceRequest(2, 0, 1, 11, null, null));
		PolicyResult result = run(gpu, burst, Policies.CHEAPEST, 1);
		// Two decode together at 10 tokens/s each: 1 s. The third waits 1 s, then decodes alone at 20/s: 0.5 s.
		assertThat(result.e2e().p50()).isCloseTo(1.0, within(0.01));
		assertThat(result.e2e().p99()).isCloseTo(1.5, within(0.01));
		assertThat(result.ttft().p99()).isCloseTo(1.0, within(0.01));
		assertThat(result.attainment()).isEqualTo(1.0);
	}

	@Test
	void aHostedDeploymentQueuesBeyondItsConcurrency() {
		Scenario single = ScenarioLoader.parse("""
				alias: chat
				deployments:
				  - id: one
				    prices: { input: 1, output: 1 }
				    ttft: { median: 1s, sigma: 0 }
				    per-token: { median: 100ms, sigma: 0 }
				    max-concurrency: 1
				slo-classes:
				  interactive: { ttft: 1.5s }
				""", "single");
		// Two requests at once, 11 tokens each: 1 s to the first token, 2 s in all. The second waits 2 s.
		List<TraceRequest> pair = List.of(new TraceRequest(0, 0, 10, 11, null, null),
				new TraceRequest(1, 0, 10, 11, null, null));
		PolicyResult result = run(single, pair, Policies.CHEAPEST, 1);
		assertThat(result.ttft().p50()).isCloseTo(1.0, within(0.01));
		assertThat(result.ttft().p99()).isCloseTo(3.0, within(0.01));
		assertThat(result.e2e().p99()).isCloseTo(4.0, within(0.01));
		assertThat(result.attainment()).isEqualTo(0.5);
	}

	@Test
	void shedBatchWorkCountsAsRejectedAndMissed() {
		Scenario shedding = ScenarioLoader.parse(TestScenarios.THREE_HOSTED.formatted("")
			.replace("interactive: { ttft: 2s, e2e: 30s, target: 0.95 }",
					"batch: { priority: batch, e2e: 100ms, target: 0.95 }")
			.replace("exploration: 0.02", "exploration: 0\n  when-none-qualify: shed-batch"), "shedding");
		PolicyResult result = run(shedding, TRACE, Policies.FULCRUM, 1);
		assertThat(result.rejected()).isGreaterThan(TRACE.size() / 2);
		assertThat(result.attainment()).isLessThanOrEqualTo(1 - result.rejected() / (double) TRACE.size());
	}

}
