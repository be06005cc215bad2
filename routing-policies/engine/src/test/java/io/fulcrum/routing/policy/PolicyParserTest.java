package io.fulcrum.routing.policy;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.scoring.BudgetPressure;
import io.fulcrum.routing.scoring.HedgeSettings;
import io.fulcrum.routing.scoring.Objective;
import io.fulcrum.routing.scoring.WhenNoneQualify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PolicyParserTest {

	private static final String FULL = """
			chat-default:
			  candidates: [gpt-mini, local-llama]
			  objective: weighted
			  weights: { cost: 0.7, latency: 0.3 }
			  when-none-qualify: shed-batch
			  exploration: 0.05
			  min-observations: 20
			  probe-concurrency: 3
			  slo:
			    interactive: { ttft: 800ms, e2e: 10s, target: 0.99 }
			    batch: { e2e: 2m, target: 95% }
			  constraints: { providers: [openai, local] }
			  budget-pressure: { above: 0.8, target: 0.9 }
			  tenants:
			    acme:
			      constraints: { local-only: true }
			      slo: { interactive: { ttft: 2s } }
			""";

	@Test
	void readsEveryFieldOfAnAliasPolicy() {
		AliasPolicy policy = PolicyParser.parseYaml(FULL).aliases().get("chat-default");
		assertThat(policy.candidates()).containsExactly("gpt-mini", "local-llama");
		assertThat(policy.scoring().objective()).isEqualTo(Objective.WEIGHTED);
		assertThat(policy.scoring().costWeight()).isEqualTo(0.7);
		assertThat(policy.scoring().whenNoneQualify()).isEqualTo(WhenNoneQualify.SHED_BATCH);
		assertThat(policy.scoring().exploration()).isEqualTo(0.05);
		assertThat(policy.scoring().minWeight()).isEqualTo(20);
		assertThat(policy.scoring().probeConcurrency()).isEqualTo(3);
		assertThat(policy.scoring().budgetPressure()).isEqualTo(new BudgetPressure(0.8, 0.9));
		assertThat(policy.slo(Priority.INTERACTIVE)).isEqualTo(new Slo(800_000_000L, 10_000_000_000L, 0.99));
		assertThat(policy.slo(Priority.BATCH)).isEqualTo(new Slo(0, 120_000_000_000L, 0.95));
		assertThat(policy.constraints().providers()).containsExactlyInAnyOrder("openai", "local");
	}

	@Test
	void tenantOverridesInheritWhatTheyDoNotSet() {
		AliasPolicy acme = PolicyParser.parseYaml(FULL).aliases().get("chat-default").tenants().get("acme");
		assertThat(acme.constraints().localOnly()).isTrue();
		assertThat(acme.scoring().objective()).isEqualTo(Objective.WEIGHTED);
		assertThat(acme.slo(Priority.INTERACTIVE)).isEqualTo(new Slo(2_000_000_000L, 0, 0.99));
		assertThat(acme.slo(Priority.BATCH)).isEqualTo(new Slo(0, 120_000_000_000L, 0.95));
	}

	@Test
	void reportsEveryProblemWithItsPath() {
		String bad = """
				chat:
				  objective: cheapest
				  exploration: 2
				  slo:
				    interactive: { ttft: 8xs }
				    urgent: { ttft: 1s }
				  weights: { cost: -1 }
				  budget-pressure: { above: 0.8 }
				  candidatez: [a]
				""";
		assertThatExceptionOfType(PolicyException.class).isThrownBy(() -> PolicyParser.parseYaml(bad))
			.satisfies(ex -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"chat: unknown key 'candidatez' (known: budget-pressure, candidates, constraints, "
							+ "error-budget, exploration, hedging, keys, min-observations, objective, probe-concurrency, slo, "
							+ "tenants, weights, when-none-qualify)",
					"chat.objective: 'cheapest' is not an objective (cost-under-slo, latency-first, weighted)",
					"chat.exploration: 2 is out of range [0, 0.5]",
					"chat.slo.interactive.ttft: '8xs' is not a duration (use e.g. 800ms, 2s, 1.5s, 2m)",
					"chat.slo.interactive: an SLO needs a ttft or an e2e target",
					"chat.slo.urgent: 'urgent' is not a priority class (interactive, batch)",
					"chat.weights.cost: -1 is out of range [0, 1000000000]",
					"chat.budget-pressure: needs both 'above' (share of budget spent) and 'target' (SLO target)"));
	}

	@Test
	void malformedYamlIsRefusedWithTheParsersMessage() {
		assertThatExceptionOfType(PolicyException.class).isThrownBy(() -> PolicyParser.parseYaml("chat: [unclosed"))
			.withMessageContaining("not valid YAML");
		assertThatExceptionOfType(PolicyException.class).isThrownBy(() -> PolicyParser.parseYaml("- a\n- b"))
			.withMessageContaining("policies: expected a mapping");
	}

	@Test
	void hedgingIsOffByDefaultAndReadWithItsFieldsWhereDeclared() {
		AliasPolicy plain = PolicyParser.parseYaml(FULL).aliases().get("chat-default");
		assertThat(plain.scoring().hedging().enabled()).isFalse();
		AliasPolicy hedged = PolicyParser.parseYaml("""
				chat:
				  hedging: { enabled: true, below: 0.995, in-time: 80%, min-delay: 200ms, max-share: 0.1, priced: false }
				  tenants:
				    acme: { hedging: { enabled: false } }
				""").aliases().get("chat");
		assertThat(hedged.scoring().hedging())
			.isEqualTo(new HedgeSettings(true, 0.995, 0.8, 200_000_000L, 0.1, false));
		// An override inherits the fields it leaves out.
		assertThat(hedged.tenants().get("acme").scoring().hedging())
			.isEqualTo(new HedgeSettings(false, 0.995, 0.8, 200_000_000L, 0.1, false));
	}

	@Test
	void refusesInvalidHedgingWithItsPath() {
		assertThatExceptionOfType(PolicyException.class).isThrownBy(() -> PolicyParser.parseYaml("""
				chat:
				  hedging: { enabled: maybe, below: 2, in-time: 0.3, min-delay: soon, max-share: 0, after: 1s }
				""")).satisfies(ex -> assertThat(ex.problems()).containsExactlyInAnyOrder(
				"chat.hedging: unknown key 'after' (known: below, enabled, in-time, max-share, min-delay, priced)",
				"chat.hedging.enabled: 'maybe' is not true or false",
				"chat.hedging.below: 2 is out of range [0.5, 1]",
				"chat.hedging.min-delay: 'soon' is not a duration (use e.g. 800ms, 2s, 1.5s, 2m)",
				"chat.hedging.max-share: 0 is out of range [0.001, 1]",
				"chat.hedging: hedging.in-time must be at least 0.5 and below 1"));
	}

}
