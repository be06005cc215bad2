package io.fulcrum.routing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderedPolicyTest {

	private static final RoutingRequest REQUEST = new RoutingRequest("ten", "key", "chat-default", false);

	@Test
	void triesLowerPriorityFirstAndKeepsConfiguredOrderWithinAPriority() {
		RoutingDecision decision = RoutingPolicy.ordered()
			.decide(REQUEST, List.of(new Candidate("b", 1, true), new Candidate("a", 0, true),
					new Candidate("c", 1, true)));
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Route.class,
				route -> assertThat(route.deploymentIds()).containsExactly("a", "b", "c"));
	}

	@Test
	void movesOpenCircuitsBehindHealthyDeployments() {
		RoutingDecision decision = RoutingPolicy.ordered()
			.decide(REQUEST, List.of(new Candidate("primary", 0, false), new Candidate("backup", 1, true)));
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Route.class,
				route -> assertThat(route.deploymentIds()).containsExactly("backup", "primary"));
	}

	@Test
	void rejectsAnAliasWithoutDeployments() {
		RoutingDecision decision = RoutingPolicy.ordered().decide(REQUEST, List.of());
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Reject.class,
				reject -> assertThat(reject.reason()).contains("chat-default"));
	}

}
