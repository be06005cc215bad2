package io.fulcrum.routing.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.CandidateScore;
import io.fulcrum.routing.CandidateScore.Standing;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.RoutingDecision;
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
 * end-to-end time for this request (prompt length, expected output length, queueing), the probability of meeting
 * the request's SLO (times the probability the request succeeds at all) and the cost; then it ranks:
 * <ol>
 * <li>candidates that can take the request before those that cannot (probe limit, rate limit, open circuit);</li>
 * <li>among those, candidates predicted to meet the SLO with at least the target probability first, ordered by the
 * {@link Objective};</li>
 * <li>the rest by probability of meeting the SLO (the "fastest" rule), or the request is shed if it is batch work
 * and the policy says {@link WhenNoneQualify#SHED_BATCH}.</li>
 * </ol>
 * A share of requests ({@link ScoringSettings#exploration()}) goes first to the least-known usable candidate, so
 * estimates of deployments that stopped receiving traffic stay fresh. The whole ranking is the fallback order.
 *
 * <p>Thread-safe and allocation-light: it reads the statistics' published fits and never locks.
 */
public final class SloAwarePolicy implements RoutingPolicy {

	private final ScoringSettings settings;

	private final DoubleSupplier random;

	/**
	 * @param settings how to decide
	 * @param random uniform numbers in [0, 1) for exploration: {@code ThreadLocalRandom} in the gateway, a seeded
	 * generator in the simulator
	 */
	public SloAwarePolicy(ScoringSettings settings, DoubleSupplier random) {
		this.settings = settings;
		this.random = random;
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
		double[] latency = new double[n];
		double[] weight = new double[n];
		boolean anyQualifies = false;
		for (int i = 0; i < n; i++) {
			Candidate candidate = candidates.get(i);
			DeploymentProfile profile = candidate.profile();
			DeploymentStats stats = candidate.stats();
			LatencyEstimate estimate = stats.estimate(request.promptTokens(), now, profile.prior());
			LogNormal ttft = estimate.ttft().times(queueFactor(profile, stats, now));
			LogNormal e2e = ttft.plusScaled(estimate.perToken(), Math.max(0, output - 1));
			double pTtft = slo.ttftNanos() > 0 ? ttft.cdf(slo.ttftNanos() / 1e9) : 1;
			double pE2e = slo.e2eNanos() > 0 ? e2e.cdf(slo.e2eNanos() / 1e9) : 1;
			// Time to first token and total time move together (comonotone), so the chance of meeting both is
			// bounded by the smaller one rather than their product.
			double probability = estimate.successRate() * Math.min(pTtft, pE2e);
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

		int[] order = rank(objective, candidates, scores, latency);
		String reason = reason(objective, anyQualifies, pressed, target);
		if (this.settings.exploration() > 0 && this.random.getAsDouble() < this.settings.exploration()) {
			int explored = leastKnown(scores, weight);
			if (explored >= 0 && order[0] != explored) {
				moveToFront(order, explored);
				reason = "exploring '" + scores[explored].deploymentId() + "' (too few recent observations)";
			}
		}
		List<String> ids = new ArrayList<>(n);
		List<CandidateScore> ranked = new ArrayList<>(n);
		for (int index : order) {
			ids.add(scores[index].deploymentId());
			ranked.add(scores[index]);
		}
		return RoutingDecision.route(ids, reason, ranked);
	}

	/**
	 * How much longer than usual the first token will take because of queueing: from the backend's reported queue
	 * and KV-cache use when it reports them, else from requests in flight beyond its configured concurrency.
	 */
	static double queueFactor(DeploymentProfile profile, DeploymentStats stats, long now) {
		BackendLoad load = stats.backendLoad(now);
		int concurrency = profile.maxConcurrency();
		if (load != null) {
			double slots = Math.max(1, concurrency > 0 ? concurrency : load.running());
			double factor = 1 + load.waiting() / slots;
			if (load.kvCacheUsage() > 0.9) {
				// A nearly full KV cache means new requests wait for blocks to free up (preemption in vLLM terms).
				factor *= 1 + 10 * (load.kvCacheUsage() - 0.9);
			}
			return factor;
		}
		int inFlight = stats.inFlight();
		if (concurrency > 0 && inFlight >= concurrency) {
			return 1 + (inFlight - concurrency + 1) / (double) concurrency;
		}
		return 1;
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
		int[] order = new int[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		// Insertion sort: n is small, and it is stable, so configured order survives ties.
		for (int i = 1; i < n; i++) {
			int current = order[i];
			int j = i - 1;
			while (j >= 0 && before(current, order[j], objective, candidates, scores, key, tieBreak)) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = current;
		}
		return order;
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

	/** The usable candidate with the fewest recent observations, if it has fewer than the minimum; else -1. */
	private int leastKnown(CandidateScore[] scores, double[] weight) {
		int best = -1;
		for (int i = 0; i < scores.length; i++) {
			Standing standing = scores[i].standing();
			boolean usable = standing == Standing.QUALIFIES || standing == Standing.BELOW_TARGET;
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
