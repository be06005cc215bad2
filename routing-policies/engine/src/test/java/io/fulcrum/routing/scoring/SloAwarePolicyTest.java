package io.fulcrum.routing.scoring;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.CandidateScore.Standing;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.telemetry.BackendLoad;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.RateLimitHeadroom;
import io.fulcrum.routing.telemetry.TelemetrySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SloAwarePolicyTest {

	private static final long SECOND = 1_000_000_000L;

	private static final long NOW = 100 * SECOND;

	/** Interactive: first token within 1 s, all of it within 5 s, 99% of the time. */
	private static final Slo SLO = new Slo(SECOND, 5 * SECOND, 0.99);

	private final SloAwarePolicy policy = new SloAwarePolicy(settings(Objective.COST_UNDER_SLO, 0), () -> 0.99);

	private final Candidate cheapSlow = candidate("cheap-slow", 0.1, 0.4);

	private final Candidate midFast = candidate("mid-fast", 1, 4);

	private final Candidate dearFast = candidate("dear-fast", 5, 20);

	@Test
	void choosesTheCheapestCandidatePredictedToMeetTheSlo() {
		learn(this.cheapSlow, 2.0, 0.01); // first token after 2 s: misses the 1 s target
		learn(this.midFast, 0.3, 0.01);
		learn(this.dearFast, 0.2, 0.005);
		RoutingDecision.Route route = route(this.policy, request(SLO));
		assertThat(route.deploymentIds()).containsExactly("mid-fast", "dear-fast", "cheap-slow");
		assertThat(route.scores().get(0).standing()).isEqualTo(Standing.QUALIFIES);
		assertThat(route.scores().get(2).standing()).isEqualTo(Standing.BELOW_TARGET);
		assertThat(route.reason()).contains("cheapest predicted to meet the SLO at p99");
	}

	@Test
	void movesTrafficOffADeploymentWhoseLatencyDegradesAndBackWhenItRecovers() {
		learn(this.cheapSlow, 0.3, 0.01);
		learn(this.midFast, 0.3, 0.01);
		RoutingDecision.Route before = route(this.policy, request(SLO));
		assertThat(before.first()).as(before.explain()).isEqualTo("cheap-slow");
		// Brownout: 3 s to first token for a minute.
		for (int i = 0; i < 60; i++) {
			this.cheapSlow.stats().observe(Observation.streamed(500, 100, 3 * SECOND, 4 * SECOND, NOW + i * SECOND));
		}
		assertThat(route(this.policy, request(SLO, NOW + 60 * SECOND)).first()).isEqualTo("mid-fast");
		// Recovered: fast again for ten minutes (exploration and fallbacks bring such observations), by which time
		// the brownout's observations weigh 2^-10 of new ones.
		for (int i = 0; i < 600; i++) {
			this.cheapSlow.stats()
				.observe(Observation.streamed(500, 100, 300_000_000L, 1_300_000_000L, NOW + (60 + i) * SECOND));
		}
		assertThat(route(this.policy, request(SLO, NOW + 660 * SECOND)).first()).isEqualTo("cheap-slow");
	}

	@Test
	void whenNoneQualifiesItPicksTheOneMostLikelyToMeetTheSlo() {
		learn(this.cheapSlow, 3.0, 0.01);
		learn(this.midFast, 1.5, 0.01);
		learn(this.dearFast, 1.1, 0.01);
		RoutingDecision.Route route = route(this.policy, request(SLO));
		assertThat(route.deploymentIds()).containsExactly("dear-fast", "mid-fast", "cheap-slow");
		assertThat(route.reason()).contains("none predicted to meet the SLO");
	}

	@Test
	void shedsBatchWorkThatNoDeploymentCanServeInTime() {
		learn(this.cheapSlow, 3.0, 0.01);
		SloAwarePolicy shedding = new SloAwarePolicy(new ScoringSettings(Objective.COST_UNDER_SLO, 1, 1,
				WhenNoneQualify.SHED_BATCH, 0, 10, 2, null, false), () -> 0.5);
		RoutingRequest batch = new RoutingRequest("t", "k", "chat", true, 500, 0, 100, SLO, Priority.BATCH,
				Double.NaN, NOW);
		RoutingDecision decision = shedding.decide(batch, List.of(this.cheapSlow));
		assertThat(decision).isInstanceOfSatisfying(RoutingDecision.Reject.class,
				reject -> assertThat(reject.shed()).isTrue());
		assertThat(shedding.decide(request(SLO), List.of(this.cheapSlow)))
			.isInstanceOf(RoutingDecision.Route.class);
	}

	@Test
	void candidatesThatCannotTakeTheRequestGoLast() {
		learn(this.cheapSlow, 0.3, 0.01);
		learn(this.midFast, 0.3, 0.01);
		learn(this.dearFast, 0.3, 0.01);
		this.cheapSlow.stats().circuitOpen(true);
		this.midFast.stats().headroom(new RateLimitHeadroom(0, 0, NOW + SECOND));
		RoutingDecision.Route route = route(this.policy, request(SLO));
		assertThat(route.deploymentIds()).containsExactly("dear-fast", "mid-fast", "cheap-slow");
		assertThat(route.scores().get(1).standing()).isEqualTo(Standing.RATE_LIMITED);
		assertThat(route.scores().get(2).standing()).isEqualTo(Standing.CIRCUIT_OPEN);
		// The rate-limit window resets: the cheaper deployment is back.
		assertThat(route(this.policy, request(SLO, NOW + 2 * SECOND)).first()).isEqualTo("mid-fast");
	}

	@Test
	void latencyFirstIgnoresPrice() {
		learn(this.cheapSlow, 0.3, 0.01);
		learn(this.dearFast, 0.1, 0.005);
		SloAwarePolicy latencyFirst = new SloAwarePolicy(settings(Objective.LATENCY_FIRST, 0), () -> 0.5);
		assertThat(route(latencyFirst, request(SLO)).first()).isEqualTo("dear-fast");
	}

	@Test
	void weightedObjectiveTradesCostAgainstLatency() {
		learn(this.cheapSlow, 0.6, 0.02);
		learn(this.dearFast, 0.1, 0.005);
		Slo loose = new Slo(10 * SECOND, 60 * SECOND, 0.9);
		SloAwarePolicy costHeavy = new SloAwarePolicy(new ScoringSettings(Objective.WEIGHTED, 0.9, 0.1,
				WhenNoneQualify.FASTEST, 0, 10, 2, null, false), () -> 0.5);
		SloAwarePolicy latencyHeavy = new SloAwarePolicy(new ScoringSettings(Objective.WEIGHTED, 0.1, 0.9,
				WhenNoneQualify.FASTEST, 0, 10, 2, null, false), () -> 0.5);
		List<Candidate> both = List.of(this.cheapSlow, this.dearFast);
		assertThat(((RoutingDecision.Route) costHeavy.decide(request(loose), both)).first()).isEqualTo("cheap-slow");
		assertThat(((RoutingDecision.Route) latencyHeavy.decide(request(loose), both)).first())
			.isEqualTo("dear-fast");
	}

	@Test
	void budgetPressureSettlesForACheaperRouteWithALowerTarget() {
		learnSpread(this.cheapSlow, 0.7, 0.25); // first token within 1 s about 92% of the time
		learn(this.midFast, 0.2, 0.01);
		SloAwarePolicy pressured = new SloAwarePolicy(new ScoringSettings(Objective.COST_UNDER_SLO, 1, 1,
				WhenNoneQualify.FASTEST, 0, 10, 2, new BudgetPressure(0.8, 0.8), false), () -> 0.5);
		RoutingRequest relaxed = new RoutingRequest("t", "k", "chat", true, 500, 0, 100, SLO, Priority.INTERACTIVE,
				0.5, NOW);
		RoutingRequest nearBudget = new RoutingRequest("t", "k", "chat", true, 500, 0, 100, SLO,
				Priority.INTERACTIVE, 0.9, NOW);
		List<Candidate> both = List.of(this.cheapSlow, this.midFast);
		assertThat(((RoutingDecision.Route) pressured.decide(relaxed, both)).first()).isEqualTo("mid-fast");
		RoutingDecision.Route pressedRoute = (RoutingDecision.Route) pressured.decide(nearBudget, both);
		assertThat(pressedRoute.first()).isEqualTo("cheap-slow");
		assertThat(pressedRoute.reason()).contains("budget pressure");
	}

	@Test
	void explorationSendsASmallShareToADeploymentWithoutRecentObservations() {
		learn(this.cheapSlow, 2.0, 0.01);
		learn(this.midFast, 0.3, 0.01);
		// dear-fast has never been observed: its prior says 0.2 s, so it would qualify, but it costs more.
		SloAwarePolicy exploring = new SloAwarePolicy(settings(Objective.COST_UNDER_SLO, 0.05), () -> 0.01);
		RoutingDecision.Route route = route(exploring, request(SLO));
		assertThat(route.first()).isEqualTo("dear-fast");
		assertThat(route.reason()).contains("exploring 'dear-fast'");
		SloAwarePolicy notThisTime = new SloAwarePolicy(settings(Objective.COST_UNDER_SLO, 0.05), () -> 0.5);
		assertThat(route(notThisTime, request(SLO)).first()).isEqualTo("mid-fast");
	}

	@Test
	void aLittleKnownDeploymentGetsOnlyAFewProbeRequestsAtATime() {
		learn(this.midFast, 0.3, 0.01);
		// cheap-slow is unknown and its prior (0.2 s) looks great.
		assertThat(route(this.policy, request(SLO), this.cheapSlow, this.midFast).first()).isEqualTo("cheap-slow");
		this.cheapSlow.stats().requestStarted();
		this.cheapSlow.stats().requestStarted();
		RoutingDecision.Route route = route(this.policy, request(SLO), this.cheapSlow, this.midFast);
		assertThat(route.first()).isEqualTo("mid-fast");
		assertThat(route.scores().get(1).deploymentId()).isEqualTo("cheap-slow");
		assertThat(route.scores().get(1).standing()).isEqualTo(Standing.PROBE_LIMIT);
	}

	@Test
	void aLocalBackendsQueueDelaysItsPredictedFirstToken() {
		DeploymentProfile gpu = new DeploymentProfile("gpu", "local", true, TokenPrices.FREE,
				new LatencyPrior(0.2, 100), 8);
		Candidate local = new Candidate(gpu, 0, new DeploymentStats("gpu", TelemetrySettings.DEFAULTS));
		learn(local, 0.2, 0.01);
		learn(this.midFast, 0.3, 0.01);
		assertThat(route(this.policy, request(SLO), local, this.midFast).first()).isEqualTo("gpu");
		local.stats().backendLoad(new BackendLoad(8, 40, 0.95, NOW));
		assertThat(route(this.policy, request(SLO), local, this.midFast).first()).isEqualTo("mid-fast");
	}

	@Test
	void aBackendsQueueDelaysTheFirstTokenByTheTimeRequestsAheadTakeToRun() {
		DeploymentProfile gpu = new DeploymentProfile("gpu", "local", true, TokenPrices.FREE,
				new LatencyPrior(0.2, 100), 8);
		DeploymentStats stats = new DeploymentStats("gpu", TelemetrySettings.DEFAULTS);
		assertThat(SloAwarePolicy.queueDelay(gpu, stats, NOW, 10)).isZero();
		// 8 slots busy and 8 waiting: this request waits for 9 to leave, 9/8 of a 10 s run.
		stats.backendLoad(new BackendLoad(8, 8, 0.5, NOW));
		assertThat(SloAwarePolicy.queueDelay(gpu, stats, NOW, 10)).isCloseTo(11.25, within(1e-9));
		// Requests sent since the last report count too.
		for (int i = 0; i < 20; i++) {
			stats.requestStarted();
		}
		assertThat(SloAwarePolicy.queueDelay(gpu, stats, NOW, 10)).isCloseTo(16.25, within(1e-9));
	}

	@Test
	void spendingTheErrorBudgetTradesProbabilityForCostAtThePriceItLearns() {
		learn(this.cheapSlow, 0.9, 0.01); // about 85% within 1 s
		learn(this.midFast, 0.3, 0.01);
		SloAwarePolicy spending = new SloAwarePolicy(ScoringSettings.DEFAULTS.withErrorBudget(true), () -> 0.99);
		List<Candidate> both = List.of(this.cheapSlow, this.midFast);
		// At first a point of probability is worth whatever the dearest costs: the fast deployment.
		assertThat(((RoutingDecision.Route) spending.decide(request(SLO), both)).first()).isEqualTo("mid-fast");
		// Outcomes show the class far inside its budget: the price falls, yet a deployment that would take more
		// than three times a request's share of the budget (85% < 97%) still goes after one that does not.
		for (int i = 0; i < 2000; i++) {
			spending.recordOutcome(Priority.INTERACTIVE, true, 0.999, NOW);
			spending.decide(request(SLO), both);
		}
		assertThat(spending.errorBudget(Priority.INTERACTIVE).price(1)).isLessThan(1e-5);
		assertThat(((RoutingDecision.Route) spending.decide(request(SLO), both)).first()).isEqualTo("mid-fast");
		// A cheap deployment within the floor wins once probability is cheap.
		Candidate cheapOk = candidate("cheap-ok", 0.1, 0.4);
		learn(cheapOk, 0.55, 0.01);
		RoutingDecision.Route route = (RoutingDecision.Route) spending.decide(request(SLO),
				List.of(cheapOk, this.midFast));
		assertThat(route.first()).as(route.explain()).isEqualTo("cheap-ok");
		assertThat(route.reason()).contains("error budget");
	}

	@Test
	void aFailureCostsOnlyHalfItsProbabilityBecauseFallbackUsuallyStillArrivesInTime() {
		learn(this.midFast, 0.1, 0.001);
		for (int i = 0; i < 100; i++) {
			this.midFast.stats().observe(Observation.failed(500, io.fulcrum.routing.telemetry.Outcome.ERROR, NOW));
		}
		double success = this.midFast.stats().successRate(NOW);
		RoutingDecision.Route route = route(this.policy, request(SLO), this.midFast);
		assertThat(route.scores().get(0).probability()).isCloseTo(success + (1 - success) * 0.5, within(1e-3));
	}

	@Test
	void explainsEveryCandidateInTheHeader() {
		learn(this.cheapSlow, 2.0, 0.01);
		learn(this.midFast, 0.3, 0.01);
		String explained = route(this.policy, request(SLO), this.cheapSlow, this.midFast).explain();
		assertThat(explained).startsWith("chose=mid-fast; mid-fast p=")
			.contains("qualifies")
			.contains("cheap-slow p=")
			.contains("below-target")
			.matches("\\p{ASCII}+");
	}

	@Test
	void plansAHedgeOnTheFastestOtherCandidateStartingAsLateAsItCanStillMakeTheTarget() {
		learnSpread(this.cheapSlow, 0.4, 0.3); // first token within 1 s 99.95% of the time: below 99.99%
		learnSpread(this.midFast, 0.2, 0.3);
		learnSpread(this.dearFast, 0.1, 0.3);
		SloAwarePolicy hedging = new SloAwarePolicy(settings(Objective.COST_UNDER_SLO, 0)
			.withHedging(new HedgeSettings(true, 0.9999, 0.9, 100_000_000L, 0.25, true)), () -> 0.99);
		RoutingDecision.Route route = route(hedging, request(SLO));
		assertThat(route.first()).as(route.explain()).isEqualTo("cheap-slow");
		RoutingDecision.Hedge hedge = route.hedge();
		assertThat(hedge).as(route.explain()).isNotNull();
		assertThat(hedge.deploymentId()).isEqualTo("dear-fast");
		// 1 s minus the hedge's first token at p90 (0.1 s x e^(0.3 x 1.28) = 0.147 s), within the sketch's accuracy
		assertThat(hedge.delayNanos() / 1e9).isCloseTo(0.853, within(0.03));
		// the first choice is still silent at 0.85 s for well under 1% of requests
		assertThat(hedge.sendShare()).isBetween(0.001, 0.02);
		assertThat(hedge.probability()).isGreaterThan(route.scores().get(0).probability());
		assertThat(route.explain()).startsWith("chose=cheap-slow; hedge=dear-fast after=0.8");
	}

	@Test
	void plansNoHedgeWhenHedgingIsOffOrTheFirstChoiceIsSafeEnough() {
		learnSpread(this.cheapSlow, 0.5, 0.4);
		learnSpread(this.midFast, 0.2, 0.3);
		learnSpread(this.dearFast, 0.1, 0.3);
		assertThat(route(this.policy, request(SLO)).hedge()).isNull();
		SloAwarePolicy safeEnough = new SloAwarePolicy(settings(Objective.COST_UNDER_SLO, 0)
			.withHedging(new HedgeSettings(true, 0.9, 0.9, 100_000_000L, 0.25, true)), () -> 0.99);
		RoutingDecision.Route route = route(safeEnough, request(SLO), this.midFast, this.dearFast);
		assertThat(route.first()).isEqualTo("mid-fast");
		assertThat(route.hedge()).as(route.explain()).isNull();
	}

	@Test
	void aHedgeLetsTheErrorBudgetChooseACheapDeploymentItWouldOtherwiseAvoid() {
		learnSpread(this.cheapSlow, 0.5, 0.5); // misses the 1 s target about 8% of the time: below the floor
		learnSpread(this.dearFast, 0.1, 0.3);
		ScoringSettings budget = settings(Objective.COST_UNDER_SLO, 0).withErrorBudget(true);
		RoutingDecision.Route without = settle(new SloAwarePolicy(budget, () -> 0.99));
		assertThat(without.first()).as(without.explain()).isEqualTo("dear-fast");
		RoutingDecision.Route with = settle(
				new SloAwarePolicy(budget.withHedging(HedgeSettings.OFF.withEnabled(true)), () -> 0.99));
		assertThat(with.first()).as(with.explain()).isEqualTo("cheap-slow");
		assertThat(with.hedge()).isNotNull();
	}

	/** The last of 500 decisions, by which time the error budget has found its price. */
	private RoutingDecision.Route settle(SloAwarePolicy policy) {
		RoutingDecision.Route route = null;
		for (int i = 0; i < 500; i++) {
			route = route(policy, request(SLO), this.cheapSlow, this.dearFast);
		}
		return route;
	}

	private RoutingDecision.Route route(SloAwarePolicy policy, RoutingRequest request, Candidate... candidates) {
		List<Candidate> list = candidates.length > 0 ? List.of(candidates)
				: List.of(this.cheapSlow, this.midFast, this.dearFast);
		return (RoutingDecision.Route) policy.decide(request, list);
	}

	private static ScoringSettings settings(Objective objective, double exploration) {
		return new ScoringSettings(objective, 0.5, 0.5, WhenNoneQualify.FASTEST, exploration, 10, 2, null, false);
	}

	private static RoutingRequest request(Slo slo) {
		return request(slo, NOW);
	}

	private static RoutingRequest request(Slo slo, long now) {
		return new RoutingRequest("t", "k", "chat", true, 500, 0, 100, slo, Priority.INTERACTIVE, Double.NaN, now);
	}

	private static Candidate candidate(String id, double inputPrice, double outputPrice) {
		DeploymentProfile profile = new DeploymentProfile(id, "p-" + id, false,
				new TokenPrices(inputPrice, outputPrice, 0, 0), new LatencyPrior(0.2, 100), 0);
		return new Candidate(profile, 0, new DeploymentStats(id, TelemetrySettings.DEFAULTS));
	}

	/** 400 streamed requests with lognormal times to first token (median, log-spread sigma). */
	private static void learnSpread(Candidate candidate, double ttftMedian, double sigma) {
		for (int i = 0; i < 400; i++) {
			// Deterministic lognormal sample: the quantiles of the distribution, in a scrambled order.
			double z = io.fulcrum.routing.telemetry.Normal.inverseCdf(((i * 163) % 400 + 0.5) / 400);
			long ttft = (long) (ttftMedian * Math.exp(sigma * z) * SECOND);
			candidate.stats()
				.observe(Observation.streamed(500, 100, ttft, ttft + SECOND, NOW - (400 - i) * 50_000_000L));
		}
	}

	/** 200 streamed requests over the 20 s before NOW, with a little spread around the given medians. */
	private static void learn(Candidate candidate, double ttftSeconds, double perTokenSeconds) {
		for (int i = 0; i < 200; i++) {
			double jitter = 1 + 0.1 * Math.sin(i);
			long ttft = (long) (ttftSeconds * jitter * SECOND);
			long e2e = ttft + (long) (99 * perTokenSeconds * jitter * SECOND);
			candidate.stats().observe(Observation.streamed(500, 100, ttft, e2e, NOW - (200 - i) * 100_000_000L));
		}
	}

}
