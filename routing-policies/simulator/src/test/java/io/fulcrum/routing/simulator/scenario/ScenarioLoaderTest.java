package io.fulcrum.routing.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.Priority;
import io.fulcrum.routing.scoring.Objective;
import io.fulcrum.routing.scoring.WhenNoneQualify;
import io.fulcrum.routing.simulator.TestScenarios;

class ScenarioLoaderTest {

	@Test
	void loadsTheShippedScenarios() throws IOException {
		for (String name : new String[] { "steady-mix.yaml", "brownout-cheapest.yaml", "brownout-local-gpu.yaml" }) {
			Scenario scenario = ScenarioLoader.load(Path.of("scenarios", name));
			assertThat(scenario.deployments()).hasSizeGreaterThanOrEqualTo(4);
			assertThat(scenario.deployments()).filteredOn(d -> d.gpu() != null).hasSize(1);
			assertThat(scenario.classes()).containsKeys("interactive", "batch");
			assertThat(scenario.scoring().objective()).isEqualTo(Objective.COST_UNDER_SLO);
		}
		Scenario brownout = ScenarioLoader.load(Path.of("scenarios", "brownout-cheapest.yaml"));
		assertThat(brownout.windows()).anySatisfy(w -> {
			assertThat(w.kind()).isEqualTo(Window.Kind.BROWNOUT);
			assertThat(w.toNanos() - w.fromNanos()).isEqualTo(600_000_000_000L);
		});
	}

	@Test
	void readsEveryPartOfADeploymentAndThePolicy() {
		Scenario scenario = ScenarioLoader.parse("""
				alias: chat
				deployments:
				  - id: hosted
				    provider: openai
				    prices: { input: 0.4, output: 1.6, cached-input: 0.1, per-request: 0.001 }
				    ttft: { p50: 500ms, p90: 1s, p99: 2s }
				    per-token: { median: 10ms, sigma: 0.2 }
				    limits: { requests-per-minute: 100, tokens-per-minute: 50000 }
				    max-concurrency: 8
				  - id: gpu
				    gpu:
				      max-batch: 4
				      prefill-tokens-per-second: 2000
				      decode-tokens-per-second: { 1: 50, 4: 30 }
				windows:
				  - { deployment: hosted, kind: brownout, from: 1m, to: 2m, factor: 3 }
				  - { deployment: gpu, kind: outage, from: 90, to: 100 }
				slo-classes:
				  fast: { ttft: 1s, target: p99 }
				  slow: { priority: batch, e2e: 1m, target: 90% }
				class-mapping: { default: slow, shares: { fast: 0.25, slow: 0.75 } }
				policy: { objective: weighted, weights: { cost: 2, latency: 1 }, when-none-qualify: shed-batch }
				""", "all.yaml");
		DeploymentSpec hosted = scenario.deployment("hosted");
		assertThat(hosted.prices().perRequest()).isEqualTo(0.001);
		// Least squares through p50 = 0.5 s, p90 = 1 s, p99 = 2 s.
		assertThat(hosted.ttft().median()).isCloseTo(0.5, within(0.05));
		assertThat(hosted.ttft().sigma()).isBetween(0.54, 0.64);
		assertThat(hosted.perToken().median()).isEqualTo(0.01);
		assertThat(hosted.limits()).isEqualTo(new RateLimits(100, 50_000));
		assertThat(hosted.profile().maxConcurrency()).isEqualTo(8);
		DeploymentSpec gpu = scenario.deployment("gpu");
		assertThat(gpu.local()).isTrue();
		assertThat(gpu.prices().outputPerMillion()).isZero();
		assertThat(gpu.gpu().decodeTokensPerSecond(2)).isCloseTo(50 - 20.0 / 3, within(1e-9));
		assertThat(gpu.gpu().decodeTokensPerSecond(10)).isEqualTo(30);
		assertThat(scenario.windows()).extracting(Window::kind)
			.containsExactly(Window.Kind.BROWNOUT, Window.Kind.OUTAGE);
		assertThat(scenario.windows().get(1).errorRate()).isEqualTo(1);
		assertThat(scenario.classes().get("slow").priority()).isEqualTo(Priority.BATCH);
		assertThat(scenario.classes().get("slow").stream()).isFalse();
		assertThat(scenario.classes().get("fast").slo().target()).isEqualTo(0.99);
		assertThat(scenario.mapping().shares()).containsEntry("fast", 0.25);
		assertThat(scenario.scoring().objective()).isEqualTo(Objective.WEIGHTED);
		assertThat(scenario.scoring().costWeight()).isEqualTo(2);
		assertThat(scenario.scoring().whenNoneQualify()).isEqualTo(WhenNoneQualify.SHED_BATCH);
		assertThat(scenario.name()).isEqualTo("all.yaml");
	}

	@Test
	void listsEveryProblemWithItsPath() {
		assertThatThrownBy(() -> ScenarioLoader.parse("""
				alias: chat
				deployments:
				  - id: a
				    prices: { input: -1, output: 2 }
				    ttft: { median: fast, sigma: 0.3 }
				    tokens-per-second: 100
				    error-rat: 0.1
				  - id: a
				    prices: { input: 1, output: 2 }
				    ttft: { p99: 2s }
				    tokens-per-second: 100
				windows:
				  - { deployment: nope, kind: brownout, from: 10m, to: 5m, factor: 2 }
				  - { deployment: a, kind: meltdown, from: 1m, to: 2m }
				slo-classes:
				  interactive: { target: 0.99 }
				class-mapping: { shares: { interactive: 0.5, other: 0.2 } }
				policy: { objective: cheapest-please }
				""", "bad.yaml"))
			.isInstanceOfSatisfying(ScenarioException.class, ex -> assertThat(ex.problems()).contains(
					"deployments[0].prices.input: must be between 0 and 1000000, was -1",
					"deployments[0].ttft.median: 'fast' is not a duration (use e.g. 800ms, 2s, 1.5s, 20m, or seconds as a number)",
					"deployments[0].error-rat: unknown key (expected one of [error-rate, gpu, id, limits, local, "
							+ "max-concurrency, per-token, prefill-tokens-per-second, prices, prior, provider, "
							+ "tokens-per-second, ttft])",
					"deployments[1].ttft: give median and sigma, or at least two of p50, p90, p95 and p99",
					"windows[0].deployment: 'nope' is not a deployment of this scenario [a]",
					"windows[0].to: must be after 'from'",
					"windows[1].kind: 'meltdown' is not a window kind (brownout, outage)",
					"slo-classes.interactive.ttft: a class needs a ttft or an e2e target (or both)",
					"class-mapping.shares.other: is not an SLO class [interactive]",
					"class-mapping.shares: must add up to 1, add up to 0.7")
				.anySatisfy(problem -> assertThat(problem).startsWith("policy").contains("cheapest-please")))
			.hasMessageStartingWith("bad.yaml is not a valid scenario:");
	}

	@Test
	void reportsMissingSectionsAndBrokenYaml() {
		assertThatThrownBy(() -> ScenarioLoader.parse("name: x\n", "empty.yaml"))
			.isInstanceOfSatisfying(ScenarioException.class, ex -> assertThat(ex.problems())
				.containsExactly("alias: is required", "deployments: is required", "slo-classes: is required"));
		assertThatThrownBy(() -> ScenarioLoader.parse("deployments: [\n", "broken.yaml"))
			.hasMessageContaining("not valid YAML");
		assertThatThrownBy(() -> ScenarioLoader.parse("- just a list\n", "list.yaml"))
			.hasMessageContaining(": expected a mapping (key: value), found a list");
	}

	@Test
	void fitsALognormalToQuantiles() {
		LatencyDistribution fitted = LatencyDistribution.fit(new double[] { 0.5, 0.9, 0.99 },
				new double[] { 1, Math.exp(0.5 * 1.2815515655446004), Math.exp(0.5 * 2.3263478740408408) });
		// Within the accuracy of the engine's inverse normal CDF.
		assertThat(fitted.median()).isCloseTo(1, within(1e-5));
		assertThat(fitted.sigma()).isCloseTo(0.5, within(1e-5));
	}

	@Test
	void theTestScenarioIsValid() {
		assertThat(TestScenarios.threeHosted("").deployments()).hasSize(3);
	}

}
