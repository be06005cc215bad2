package io.fulcrum.routing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.fulcrum.routing.Fixtures.candidate;
import static org.assertj.core.api.Assertions.assertThat;

class OrderedPolicyTest {

	private static final RoutingRequest REQUEST = Fixtures.request();

	@Test
	void triesLowerPriorityFirstAndKeepsConfiguredOrderWithinAPriority() {
		RoutingDecision decision = RoutingPolicy.ordered()
			.decide(REQUEST, List.of(candidate("b", 1, 1, 1, 1), candidate("a", 0, 1, 1, 1), candidate("c", 1, 1, 1, 1)));
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Route.class,
				route -> assertThat(route.deploymentIds()).containsExactly("a", "b", "c"));
	}

	@Test
	void movesOpenCircuitsBehindHealthyDeployments() {
		Candidate primary = candidate("primary", 0, 1, 1, 1);
		primary.stats().circuitOpen(true);
		RoutingDecision decision = RoutingPolicy.ordered().decide(REQUEST, List.of(primary, candidate("backup", 1, 1, 1, 1)));
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Route.class,
				route -> assertThat(route.deploymentIds()).containsExactly("backup", "primary"));
	}

	@Test
	void rejectsAnAliasWithoutDeployments() {
		RoutingDecision decision = RoutingPolicy.ordered().decide(REQUEST, List.of());
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Reject.class,
				reject -> assertThat(reject.reason()).contains("chat"));
	}

}
