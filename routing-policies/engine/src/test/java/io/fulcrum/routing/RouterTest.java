package io.fulcrum.routing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.policy.PolicyParser;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.TelemetrySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RouterTest {

	private static final long SECOND = 1_000_000_000L;

	private final Router router = new Router(TelemetrySettings.DEFAULTS, () -> 0.5);

	private final Map<String, List<RoutingTable.Ranked>> catalog = Map.of("chat",
			List.of(ranked("hosted-cheap", "openai", false, 0.15, 0.6, 0), ranked("hosted-fast", "openai", false, 2.5, 10, 1),
					ranked("gpu", "local", true, 0.05, 0.05, 2)));

	@Test
	void anAliasWithoutAPolicyKeepsItsConfiguredOrder() {
		this.router.configure(this.catalog, PolicyParser.parseYaml(""));
		assertThat(route("anyone").deploymentIds()).containsExactly("hosted-cheap", "hosted-fast", "gpu");
	}

	@Test
	void aPolicyRanksByCostUnderItsSlo() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("""
				chat:
				  exploration: 0
				  slo: { interactive: { ttft: 1s, target: 0.99 } }
				"""));
		learn("gpu", 3.0);
		learn("hosted-cheap", 0.3);
		learn("hosted-fast", 0.2);
		assertThat(route("anyone").deploymentIds()).containsExactly("hosted-cheap", "hosted-fast", "gpu");
	}

	@Test
	void forgettingWhatWasLearnedRoutesAsBeforeAnyTraffic() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("""
				chat:
				  exploration: 0
				  slo: { interactive: { ttft: 1s, target: 0.99 } }
				"""));
		List<String> beforeTraffic = route("anyone").deploymentIds();
		learn("gpu", 3.0);
		learn("hosted-cheap", 0.3);
		learn("hosted-fast", 0.2);
		assertThat(route("anyone").deploymentIds()).isNotEqualTo(beforeTraffic);

		this.router.forget();

		assertThat(route("anyone").deploymentIds()).isEqualTo(beforeTraffic);
	}

	@Test
	void tenantOverridesApplyToThatTenantOnly() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("""
				chat:
				  exploration: 0
				  tenants:
				    hospital: { constraints: { local-only: true } }
				"""));
		assertThat(route("hospital").deploymentIds()).containsExactly("gpu");
		assertThat(route("anyone").deploymentIds()).hasSize(3);
	}

	@Test
	void anAppKeysOverrideWinsOverItsTenants() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("""
				chat:
				  exploration: 0
				  tenants:
				    hospital: { constraints: { local-only: true } }
				  keys:
				    research-key: { constraints: { providers: [openai] }, slo: { interactive: { ttft: 2s } } }
				"""));
		RoutingRequest fromResearchKey = new RoutingRequest("hospital", "research-key", "chat", true, 500, 0, 0,
				null, Priority.INTERACTIVE, Double.NaN, 100 * SECOND);
		assertThat(((RoutingDecision.Route) this.router.route(fromResearchKey)).deploymentIds())
			.containsExactlyInAnyOrder("hosted-cheap", "hosted-fast");
		assertThat(this.router.slo("chat", "hospital", "research-key", Priority.INTERACTIVE).ttftNanos())
			.isEqualTo(2 * SECOND);
		assertThat(route("hospital").deploymentIds()).containsExactly("gpu");
	}

	@Test
	void constraintsThatLeaveNoCandidateAreRefused() {
		assertThatExceptionOfType(PolicyException.class)
			.isThrownBy(() -> this.router.configure(this.catalog, PolicyParser.parseYaml("""
					chat:
					  constraints: { providers: [anthropic], local-only: true }
					""")))
			.satisfies(ex -> assertThat(ex.problems()).containsExactly(
					"chat: no candidate is allowed by the constraints (local-only, providers [anthropic])"));
	}

	@Test
	void requestSloWinsOverThePolicyDefault() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("""
				chat:
				  exploration: 0
				  slo: { interactive: { ttft: 10s } }
				"""));
		assertThat(this.router.slo("chat", "anyone", "key", Priority.INTERACTIVE).ttftNanos()).isEqualTo(10 * SECOND);
		learn("gpu", 3.0);
		learn("hosted-cheap", 3.0);
		learn("hosted-fast", 0.2);
		assertThat(route("anyone").first()).isEqualTo("gpu");
		RoutingRequest tight = request("anyone").withExpectations(0, new Slo(SECOND, 0, 0.99));
		assertThat(((RoutingDecision.Route) this.router.route(tight)).first()).isEqualTo("hosted-fast");
	}

	@Test
	void anInvalidPolicyIsRefusedAndTheCurrentOneStays() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("chat: { exploration: 0 }"));
		assertThatExceptionOfType(PolicyException.class)
			.isThrownBy(() -> this.router.apply(PolicyParser.parseYaml("""
					chat:
					  candidates: [gpu, nope]
					  constraints: { providers: [anthropic] }
					embeddings: {}
					""")))
			.satisfies(ex -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"embeddings: no such model alias (known: chat)",
					"chat.candidates: 'nope' is not a deployment of this alias (known: hosted-cheap, hosted-fast, gpu)"));
		assertThat(this.router.policies().aliases().get("chat").scoring().exploration()).isZero();
		assertThat(route("anyone").deploymentIds()).hasSize(3);
	}

	@Test
	void predictsOutputLengthFromWhatTheKeysAnswersUsuallyRun() {
		this.router.configure(this.catalog, PolicyParser.parseYaml("chat: { exploration: 0 }"));
		double gpuPerToken = 0.05 / 1e6;
		assertThat(gpuCost()).isCloseTo((500 + 256) * gpuPerToken, org.assertj.core.data.Offset.offset(1e-15));
		for (int i = 0; i < 10; i++) {
			this.router.observe("key", "chat", "gpu", Observation.streamed(100, 40, SECOND / 10, SECOND, i));
		}
		// DDSketch keeps values to 2% relative accuracy.
		assertThat(gpuCost()).isCloseTo((500 + 40) * gpuPerToken, org.assertj.core.data.Percentage.withPercentage(0.5));
	}

	private double gpuCost() {
		return route("anyone").scores()
			.stream()
			.filter(score -> score.deploymentId().equals("gpu"))
			.findFirst()
			.orElseThrow()
			.expectedCost();
	}

	@Test
	void anUnknownAliasIsRejected() {
		this.router.configure(this.catalog, PolicyParser.parseYaml(""));
		RoutingRequest request = new RoutingRequest("t", "key", "nope", false, 1, 0, 0, null, Priority.INTERACTIVE,
				Double.NaN, 0);
		assertThat(this.router.route(request)).isInstanceOf(RoutingDecision.Reject.class);
	}

	private RoutingDecision.Route route(String tenant) {
		return (RoutingDecision.Route) this.router.route(request(tenant));
	}

	private static RoutingRequest request(String tenant) {
		return new RoutingRequest(tenant, "key", "chat", true, 500, 0, 0, null, Priority.INTERACTIVE, Double.NaN,
				100 * SECOND);
	}

	private void learn(String deployment, double ttftSeconds) {
		for (int i = 0; i < 100; i++) {
			long ttft = (long) (ttftSeconds * (1 + 0.05 * Math.sin(i)) * SECOND);
			this.router.observe("other", "chat", deployment,
					Observation.streamed(500, 50, ttft, ttft + SECOND / 2, 90 * SECOND + i * 100_000_000L));
		}
	}

	private static RoutingTable.Ranked ranked(String id, String provider, boolean local, double in, double out,
			int priority) {
		return new RoutingTable.Ranked(new DeploymentProfile(id, provider, local, new TokenPrices(in, out, 0, 0),
				new LatencyPrior(0.5, 80), 0), priority);
	}

}
