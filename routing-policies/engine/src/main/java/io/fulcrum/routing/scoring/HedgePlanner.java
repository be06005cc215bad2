package io.fulcrum.routing.scoring;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.CandidateScore;
import io.fulcrum.routing.CandidateScore.Standing;
import io.fulcrum.routing.RoutingDecision.Hedge;
import io.fulcrum.routing.telemetry.LogNormal;
import io.fulcrum.routing.telemetry.Normal;

/**
 * Plans, for every candidate of one decision, the hedge it would get as the first choice (see
 * {@link HedgeSettings}), and what that hedge is worth, so that the ranking can weigh a cheap deployment with a
 * hedge against a safer, dearer one without.
 *
 * <p>A candidate's hedge goes to the usable candidate other than itself whose first byte comes soonest at the
 * quantile {@link HedgeSettings#inTime()}: that one may start latest, so it is sent least often. The delay is the
 * target minus that time: started then, the hedge still produces its first byte in time with that probability.
 * The candidate's probability of meeting the SLO then rises by the share of its misses that are late first bytes
 * (a hedge cannot help an answer that starts in time and ends late) times the hedge's chance ({@code inTime},
 * bounded by the hedge's own score, which counts its failures); its expected cost rises by the hedge's cost times
 * the chance the hedge is sent. The two attempts are treated as independent.
 *
 * <p>Allocation-light: arrays per decision, one quantile per candidate and two distribution evaluations per
 * hedged candidate.
 */
final class HedgePlanner {

	private final int[] partner;

	private final double[] delay;

	private final double[] share;

	private final double[] probability;

	private final double[] cost;

	/**
	 * @param settings the policy's hedging settings (enabled)
	 * @param scores every candidate's score, unhedged
	 * @param firstByte every candidate's predicted time to first byte, in seconds
	 * @param inTime every candidate's probability of its first byte within the target
	 * @param targetSeconds the first-byte target (a stream's TTFT target, else the end-to-end target)
	 * @param price what a unit of probability of meeting the SLO is worth (the error budget's price), or 0 when the
	 * policy does not price it: with {@link HedgeSettings#priced()}, a hedge whose expected extra cost exceeds what
	 * it adds to the probability at this price is not planned
	 */
	HedgePlanner(HedgeSettings settings, CandidateScore[] scores, LogNormal[] firstByte, double[] inTime,
			double targetSeconds, double price) {
		int n = scores.length;
		this.partner = new int[n];
		this.delay = new double[n];
		this.share = new double[n];
		this.probability = new double[n];
		this.cost = new double[n];
		double zInTime = Normal.inverseCdf(settings.inTime());
		int fastest = -1;
		int second = -1;
		double[] latest = new double[n];
		for (int i = 0; i < n; i++) {
			latest[i] = usable(scores[i]) ? targetSeconds - firstByte[i].quantileAtZ(zInTime)
					: Double.NEGATIVE_INFINITY;
			if (fastest < 0 || latest[i] > latest[fastest]) {
				second = fastest;
				fastest = i;
			}
			else if (second < 0 || latest[i] > latest[second]) {
				second = i;
			}
		}
		for (int i = 0; i < n; i++) {
			CandidateScore score = scores[i];
			this.probability[i] = score.probability();
			this.cost[i] = score.expectedCost();
			this.partner[i] = -1;
			int h = i == fastest ? second : fastest;
			if (h < 0 || !usable(score) || inTime[i] >= settings.below()
					|| latest[h] * 1e9 < settings.minDelayNanos()) {
				continue;
			}
			double sent = 1 - firstByte[i].cdf(latest[h]);
			if (sent > settings.maxShare()) {
				continue;
			}
			double rescue = Math.min(settings.inTime(), scores[h].probability());
			double lateFirstBytes = Math.min(1 - score.probability(), 1 - inTime[i]);
			double hedgeCost = sent * scores[h].expectedCost();
			// When sent, the hedge replaces the first choice's cost if it wins; its loss costs little (its prompt).
			double extraCost = sent * Math.max(scores[h].expectedCost() - score.expectedCost(),
					0.1 * scores[h].expectedCost());
			if (settings.priced() && price > 0 && price * lateFirstBytes * rescue < extraCost) {
				continue; // the class's error budget can afford the misses more cheaply than the hedge
			}
			this.partner[i] = h;
			this.delay[i] = latest[h];
			this.share[i] = sent;
			this.probability[i] = score.probability() + lateFirstBytes * rescue;
			this.cost[i] = score.expectedCost() + hedgeCost;
		}
	}

	/** Candidate {@code i}'s probability of meeting the SLO with its hedge (without, when it gets none). */
	double probability(int i) {
		return this.probability[i];
	}

	/** Candidate {@code i}'s expected cost with its hedge: its own plus the hedge's when sent. */
	double cost(int i) {
		return this.cost[i];
	}

	/** The hedge of candidate {@code i} as the first choice, or {@code null} when none is worth sending. */
	@Nullable Hedge hedgeFor(int i, CandidateScore[] scores) {
		int h = this.partner[i];
		if (h < 0) {
			return null;
		}
		return new Hedge(scores[h].deploymentId(), Math.round(this.delay[i] * 1e9), this.share[i],
				Math.min(1, this.probability[i]));
	}

	private static boolean usable(CandidateScore score) {
		return score.standing().ordinal() <= Standing.BELOW_TARGET.ordinal();
	}

}
