package io.fulcrum.routing.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.CandidateScore;
import io.fulcrum.routing.CandidateScore.Standing;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Ranking;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingDecision.Hedge;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.telemetry.BackendLoad;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.LatencyEstimate;
import io.fulcrum.routing.telemetry.LogNormal;
import io.fulcrum.routing.telemetry.Normal;

/**
 * The cost- and SLO-aware router. For every candidate it predicts the distributions of time to first token and of
 * end-to-end time for this request (prompt length, expected output length, the wait for a slot), the probability of
 * meeting the request's SLO (allowing for failures, half of which are assumed to still make it after fallback) and
 * the cost; then it ranks:
 * <ol>
 * <li>candidates that can take the request before those that cannot (probe limit, rate limit, open circuit);</li>
 * <li>among those, candidates predicted to meet the SLO with at least the target probability first, ordered by the
 * {@link Objective};</li>
 * <li>the rest by probability of meeting the SLO (the "fastest" rule), or the request is shed if it is batch work
 * and the policy says {@link WhenNoneQualify#SHED_BATCH}.</li>
 * </ol>
 * With {@link ScoringSettings#spendErrorBudget()} (the default) the cost-under-SLO objective spends each priority
 * class's error budget instead of demanding the target of every request: usable candidates rank by
 * {@code price x probability - cost}, with the price of probability set by the class's {@link ErrorBudget}, and no
 * request may take more than {@link #FLOOR_BUDGETS} times its share of the budget.
 * A share of requests ({@link ScoringSettings#exploration()}) goes first to the least-known usable candidate, so
 * estimates of deployments that stopped receiving traffic stay fresh. The whole ranking is the fallback order.
 *
 * <p>Thread-safe and allocation-light: it reads the statistics' published fits and never locks.
 */
public final class SloAwarePolicy implements RoutingPolicy {

	/** Share of failed attempts whose fallback still meets the SLO (an assumption; errors tend to return fast). */
	static final double FALLBACK_IN_TIME = 0.5;

	/** No single request may take more than this many times its share of the error budget. */
	static final double FLOOR_BUDGETS = 3;

	/** Ranks candidates below the per-request floor after all others (keys there are costs, far below this). */
	private static final double BELOW_FLOOR = 1e12;

	private static final String SPENDING_BUDGET = "best chance of the SLO for its cost within the class's error budget";

	/** Measured attainment is remembered with this half-life when the error budget is spent. */
	static final long ERROR_BUDGET_HALF_LIFE_NANOS = 180_000_000_000L;

	private final ScoringSettings settings;

	private final DoubleSupplier random;

	private final Map<Priority, ErrorBudget> errorBudgets = new EnumMap<>(Priority.class);

	/**
	 * @param settings how to decide
	 * @param random uniform numbers in [0, 1) for exploration: {@code ThreadLocalRandom} in the gateway, a seeded
	 * generator in the simulator
	 */
	public SloAwarePolicy(ScoringSettings settings, DoubleSupplier random) {
		this.settings = settings;
		this.random = random;
		for (Priority priority : Priority.values()) {
			this.errorBudgets.put(priority, new ErrorBudget(ERROR_BUDGET_HALF_LIFE_NANOS));
		}
	}

	/**
	 * Learns whether a finished request of a priority class met its SLO, and with what probability its route was
	 * predicted to (the first candidate's score), which calibrates the error budget when
	 * {@link ScoringSettings#spendErrorBudget()} is on.
	 */
	public void recordOutcome(Priority priority, boolean met, double predicted, long nowNanos) {
		this.errorBudgets.get(priority).record(met, predicted, nowNanos);
	}

	/** The error budget of a priority class, for inspection. */
	public ErrorBudget errorBudget(Priority priority) {
		return this.errorBudgets.get(priority);
	}

	public ScoringSettings settings() {
		return this.settings;
	}

	@Override
	public RoutingDecision decide(RoutingRequest request, List<Candidate> candidates) {
		int n = candidates.size();
		if (n == 0) {
			return RoutingDecision.reject("model '" + request.modelAlias() + "' has no deployments");
		}
		Slo slo = request.sloOrNone();
		double target = slo.target();
		Objective objective = this.settings.objective();
		BudgetPressure pressure = this.settings.budgetPressure();
		boolean pressed = pressure != null && request.budgetUsed() >= pressure.above();
		if (pressed) {
			target = Math.min(target, pressure.target());
			objective = Objective.COST_UNDER_SLO;
		}
		double z = Normal.inverseCdf(target);
		double output = Math.max(0, request.expectedOutputTokens());
		long tokens = request.promptTokens() + Math.round(output);
		long now = request.nowNanos();

		CandidateScore[] scores = new CandidateScore[n];
		// A hedge races on the first byte: a stream's first token, else the whole answer.
		HedgeSettings hedging = this.settings.hedging();
		long firstByteTarget = request.stream() ? slo.ttftNanos() : slo.e2eNanos();
		LogNormal[] firstByte = hedging.enabled() && firstByteTarget > 0 ? new LogNormal[n] : null;
		double[] firstByteInTime = firstByte != null ? new double[n] : null;
		double[] latency = new double[n];
		double[] weight = new double[n];
		boolean anyQualifies = false;
		for (int i = 0; i < n; i++) {
			Candidate candidate = candidates.get(i);
			DeploymentProfile profile = candidate.profile();
			DeploymentStats stats = candidate.stats();
			LatencyEstimate estimate = stats.estimate(request.promptTokens(), now, profile.prior());
			double runSeconds = estimate.ttft().median() + Math.max(0, output - 1) * estimate.perToken().median();
			LogNormal ttft = estimate.ttft().plusConstant(queueDelay(profile, stats, now, runSeconds));
			LogNormal e2e = ttft.plusScaled(estimate.perToken(), Math.max(0, output - 1));
			double pTtft = slo.ttftNanos() > 0 ? ttft.cdf(slo.ttftNanos() / 1e9) : 1;
			double pE2e = slo.e2eNanos() > 0 ? e2e.cdf(slo.e2eNanos() / 1e9) : 1;
			// Time to first token and total time move together (comonotone), so the chance of meeting both is
			// bounded by the smaller one rather than their product. A failed attempt is not lost: it falls back,
			// and about half the time the fallback still arrives in time (errors tend to come back fast).
			double inTime = Math.min(pTtft, pE2e);
			if (firstByte != null) {
				firstByte[i] = request.stream() ? ttft : e2e;
				firstByteInTime[i] = request.stream() ? pTtft : pE2e;
			}
			double success = estimate.successRate();
			double probability = inTime * (success + (1 - success) * FALLBACK_IN_TIME);
			double cost = profile.prices().cost(request.promptTokens(), 0, output);
			weight[i] = estimate.weight();
			Standing standing;
			if (stats.circuitOpen()) {
				standing = Standing.CIRCUIT_OPEN;
			}
			else if (!stats.headroom().allows(tokens, now)) {
				standing = Standing.RATE_LIMITED;
			}
			else if (estimate.weight() < this.settings.minWeight()
					&& stats.inFlight() >= this.settings.probeConcurrency()) {
				standing = Standing.PROBE_LIMIT;
			}
			else if (probability >= target) {
				standing = Standing.QUALIFIES;
				anyQualifies = true;
			}
			else {
				standing = Standing.BELOW_TARGET;
			}
			double ttftAtTarget = ttft.quantileAtZ(z);
			double e2eAtTarget = e2e.quantileAtZ(z);
			latency[i] = request.stream() && slo.ttftNanos() > 0 ? ttftAtTarget : e2eAtTarget;
			scores[i] = new CandidateScore(profile.id(), ttftAtTarget, e2eAtTarget, probability, cost, standing);
		}

		if (!anyQualifies && slo.constrained() && request.priority() == Priority.BATCH
				&& this.settings.whenNoneQualify() == WhenNoneQualify.SHED_BATCH) {
			return RoutingDecision.shed("no deployment of '" + request.modelAlias() + "' is predicted to meet the "
					+ "batch SLO " + slo + " now; retry later", Arrays.asList(scores));
		}

		boolean spend = this.settings.spendErrorBudget() && objective == Objective.COST_UNDER_SLO
				&& slo.constrained();
		double price = spend ? this.errorBudgets.get(request.priority()).price(maxCost(scores) * 100) : 0;
		HedgePlanner hedges = firstByte != null
				? new HedgePlanner(hedging, scores, firstByte, firstByteInTime, firstByteTarget / 1e9, price) : null;
		int[] order = spend ? rankByBudget(candidates, scores, hedges, price, 1 - FLOOR_BUDGETS * (1 - target))
				: rank(objective, candidates, scores, latency);
		String reason = spend ? (pressed ? SPENDING_BUDGET + " (budget pressure)" : SPENDING_BUDGET)
				: reason(objective, anyQualifies, pressed, target);
		if (this.settings.exploration() > 0 && this.random.getAsDouble() < this.settings.exploration()) {
			int explored = leastKnown(scores, weight);
			if (explored >= 0 && order[0] != explored) {
				moveToFront(order, explored);
				reason = "exploring '" + scores[explored].deploymentId() + "' (too few recent observations)";
			}
		}
		if (spend) {
			this.errorBudgets.get(request.priority())
				.decided(hedges != null ? hedges.probability(order[0]) : scores[order[0]].probability(), target);
		}
		List<String> ids = new ArrayList<>(n);
		List<CandidateScore> ranked = new ArrayList<>(n);
		for (int index : order) {
			ids.add(scores[index].deploymentId());
			ranked.add(scores[index]);
		}
		RoutingDecision.Route route = RoutingDecision.route(ids, reason, ranked);
		Hedge hedge = hedges == null ? null : hedges.hedgeFor(order[0], scores);
		return hedge == null ? route : route.withHedge(hedge);
	}

	/**
	 * How long a new request would wait for a slot, in seconds: the requests ahead of it (queued, or beyond the
	 * deployment's concurrency) divided by its slots, times how long a request like this one runs there. Occupancy
	 * is the larger of the backend's last report and the requests this router has in flight to it, since many may
	 * have been sent since the report. A nearly full KV cache adds waiting for blocks to free up (preemption in vLLM
	 * terms).
	 */
	static double queueDelay(DeploymentProfile profile, DeploymentStats stats, long now, double runSeconds) {
		BackendLoad load = stats.backendLoad(now);
		int concurrency = profile.maxConcurrency();
		int inFlight = stats.inFlight();
		if (load == null && concurrency <= 0) {
			return 0;
		}
		double slots = Math.max(1, concurrency > 0 ? concurrency : load.running());
		double occupancy = Math.max(inFlight, load == null ? 0 : load.running() + load.waiting());
		double ahead = occupancy + 1 - slots;
		double delay = ahead > 0 ? ahead / slots * runSeconds : 0;
		if (load != null && load.kvCacheUsage() > 0.9) {
			delay += 10 * (load.kvCacheUsage() - 0.9) * runSeconds;
		}
		return delay;
	}

	private int[] rank(Objective objective, List<Candidate> candidates, CandidateScore[] scores,
			double[] latency) {
		int n = scores.length;
		double maxCost = 0;
		double maxLatency = 0;
		for (int i = 0; i < n; i++) {
			if (scores[i].standing() == Standing.QUALIFIES) {
				maxCost = Math.max(maxCost, scores[i].expectedCost());
				maxLatency = Math.max(maxLatency, latency[i]);
			}
		}
		double[] key = new double[n];
		double[] tieBreak = new double[n];
		for (int i = 0; i < n; i++) {
			CandidateScore score = scores[i];
			boolean qualifies = score.standing() == Standing.QUALIFIES;
			if (objective == Objective.LATENCY_FIRST || !qualifies) {
				key[i] = qualifies || objective == Objective.LATENCY_FIRST ? latency[i] : -score.probability();
				tieBreak[i] = qualifies || objective == Objective.LATENCY_FIRST ? score.expectedCost() : latency[i];
			}
			else if (objective == Objective.COST_UNDER_SLO) {
				key[i] = score.expectedCost();
				tieBreak[i] = -score.probability();
			}
			else {
				key[i] = this.settings.costWeight() * normalised(score.expectedCost(), maxCost)
						+ this.settings.latencyWeight() * normalised(latency[i], maxLatency);
				tieBreak[i] = score.expectedCost();
			}
		}
		return Ranking.order(n, (a, b) -> before(a, b, objective, candidates, scores, key, tieBreak));
	}

	/**
	 * Usable candidates first, by {@code price x probability - cost} (highest first); candidates that cannot take
	 * the request after them, as in {@link #rank}. No single request may take more than {@link #FLOOR_BUDGETS}
	 * times its share of the budget: candidates below {@code floor} rank after every usable one above it, however
	 * cheap, so a cheap deployment that degrades does not keep receiving work because the class has budget left.
	 * With hedging on, each candidate counts with the hedge it would get: its probability and expected cost with
	 * the hedge ({@link HedgePlanner}).
	 */
	private int[] rankByBudget(List<Candidate> candidates, CandidateScore[] scores, @Nullable HedgePlanner hedges,
			double price, double floor) {
		int n = scores.length;
		double[] key = new double[n];
		double[] tieBreak = new double[n];
		boolean anyAboveFloor = false;
		for (int i = 0; i < n; i++) {
			anyAboveFloor |= probability(scores, hedges, i) >= floor
					&& scores[i].standing().ordinal() <= Standing.BELOW_TARGET.ordinal();
		}
		for (int i = 0; i < n; i++) {
			double probability = probability(scores, hedges, i);
			double cost = hedges != null ? hedges.cost(i) : scores[i].expectedCost();
			boolean belowFloor = anyAboveFloor && probability < floor;
			// Below the floor: after everything above it, ordered by probability.
			key[i] = belowFloor ? BELOW_FLOOR - probability : cost - price * probability;
			tieBreak[i] = cost;
		}
		return Ranking.order(n, (a, b) -> beforeByBudget(a, b, candidates, scores, key, tieBreak));
	}

	/** A candidate's probability of meeting the SLO, with the hedge it would get when hedging is on. */
	private static double probability(CandidateScore[] scores, @Nullable HedgePlanner hedges, int i) {
		return hedges != null ? hedges.probability(i) : scores[i].probability();
	}

	private static boolean beforeByBudget(int a, int b, List<Candidate> candidates, CandidateScore[] scores,
			double[] key, double[] tieBreak) {
		boolean usableA = scores[a].standing().ordinal() <= Standing.BELOW_TARGET.ordinal();
		boolean usableB = scores[b].standing().ordinal() <= Standing.BELOW_TARGET.ordinal();
		if (usableA != usableB) {
			return usableA;
		}
		if (!usableA) {
			return scores[a].standing().ordinal() < scores[b].standing().ordinal();
		}
		if (key[a] != key[b]) {
			return key[a] < key[b];
		}
		if (tieBreak[a] != tieBreak[b]) {
			return tieBreak[a] < tieBreak[b];
		}
		return candidates.get(a).priority() < candidates.get(b).priority();
	}

	private static double maxCost(CandidateScore[] scores) {
		double max = 0;
		for (CandidateScore score : scores) {
			max = Math.max(max, score.expectedCost());
		}
		return max > 0 ? max : 1e-6;
	}

	private static boolean before(int a, int b, Objective objective, List<Candidate> candidates,
			CandidateScore[] scores, double[] key, double[] tieBreak) {
		int standingA = group(scores[a].standing(), objective);
		int standingB = group(scores[b].standing(), objective);
		if (standingA != standingB) {
			return standingA < standingB;
		}
		if (key[a] != key[b]) {
			return key[a] < key[b];
		}
		if (tieBreak[a] != tieBreak[b]) {
			return tieBreak[a] < tieBreak[b];
		}
		return candidates.get(a).priority() < candidates.get(b).priority();
	}

	/** Latency-first does not separate qualifying from usable candidates: the fastest goes first either way. */
	private static int group(Standing standing, Objective objective) {
		if (objective == Objective.LATENCY_FIRST && standing == Standing.BELOW_TARGET) {
			return Standing.QUALIFIES.ordinal();
		}
		return standing.ordinal();
	}

	private static double normalised(double value, double max) {
		return max > 0 ? value / max : 0;
	}

	/**
	 * The qualifying candidate with the fewest recent observations, if it has fewer than the minimum; else -1. Only
	 * qualifying ones: a deployment known to miss the SLO is not probed, and one that has not been seen for a while
	 * qualifies again as its estimate returns to its prior.
	 */
	private int leastKnown(CandidateScore[] scores, double[] weight) {
		int best = -1;
		for (int i = 0; i < scores.length; i++) {
			boolean usable = scores[i].standing() == Standing.QUALIFIES;
			boolean stale = weight[i] < this.settings.minWeight();
			if (usable && stale && (best < 0 || weight[i] < weight[best])) {
				best = i;
			}
		}
		return best;
	}

	private static void moveToFront(int[] order, int index) {
		int at = 0;
		while (order[at] != index) {
			at++;
		}
		System.arraycopy(order, 0, order, 1, at);
		order[0] = index;
	}

	private static String reason(Objective objective, boolean anyQualifies, boolean pressed, double target) {
		String base;
		if (!anyQualifies) {
			base = "none predicted to meet the SLO: most likely first";
		}
		else {
			base = switch (objective) {
				case COST_UNDER_SLO -> "cheapest predicted to meet the SLO at p" + percent(target);
				case LATENCY_FIRST -> "lowest predicted latency at p" + percent(target);
				case WEIGHTED -> "best weighted cost and latency among those meeting the SLO at p" + percent(target);
			};
		}
		return pressed ? base + " (budget pressure)" : base;
	}

	private static String percent(double target) {
		double value = target * 100;
		return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
	}

}
