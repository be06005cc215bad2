package io.fulcrum.routing.scoring;

import org.jspecify.annotations.Nullable;

import io.fulcrum.routing.CandidateScore;
import io.fulcrum.routing.CandidateScore.Standing;
import io.fulcrum.routing.RoutingDecision.Hedge;
import io.fulcrum.routing.telemetry.LogNormal;

/**
 * Plans the hedge of a ranked decision (see {@link HedgeSettings}): whether the first choice needs one, which
 * deployment takes it and after what delay.
 *
 * <p>The hedge goes to the usable candidate, other than the first choice, whose first byte comes soonest at the
 * SLO's percentile, since that one may start latest and so is sent least often (cost breaks ties). Its delay is
 * the target minus that time: started then, the hedge still meets the target at the SLO's percentile. The
 * probability with the hedge treats the two attempts as independent: the request misses only when the first
 * choice misses and the hedge, started at the delay, misses too (the hedge's chance being the smaller of its first
 * byte in the time left and its own score, which counts its failures and end-to-end time).
 */
final class HedgePlanner {

	private HedgePlanner() {
	}

	/**
	 * @param settings the policy's hedging settings (enabled)
	 * @param scores every candidate's score
	 * @param firstByte every candidate's predicted time to first byte, in seconds
	 * @param order the ranking; {@code order[0]} is the first choice
	 * @param targetSeconds the first-byte target (a stream's TTFT target, else the end-to-end target)
	 * @param z the standard normal quantile of the SLO's target
	 * @return the hedge, or {@code null} when none is worth sending
	 */
	static @Nullable Hedge plan(HedgeSettings settings, CandidateScore[] scores, LogNormal[] firstByte, int[] order,
			double targetSeconds, double z) {
		int primary = order[0];
		if (!usable(scores[primary])) {
			return null;
		}
		double primaryInTime = firstByte[primary].cdf(targetSeconds);
		if (primaryInTime >= settings.below()) {
			return null;
		}
		int hedge = -1;
		double hedgeAtTarget = Double.POSITIVE_INFINITY;
		for (int rank = 1; rank < order.length; rank++) {
			int i = order[rank];
			if (!usable(scores[i])) {
				continue;
			}
			double atTarget = firstByte[i].quantileAtZ(z);
			if (atTarget < hedgeAtTarget
					|| (atTarget == hedgeAtTarget && scores[i].expectedCost() < scores[hedge].expectedCost())) {
				hedge = i;
				hedgeAtTarget = atTarget;
			}
		}
		if (hedge < 0) {
			return null;
		}
		double delay = targetSeconds - hedgeAtTarget;
		if (delay * 1e9 < settings.minDelayNanos()) {
			return null;
		}
		double sendShare = 1 - firstByte[primary].cdf(delay);
		if (sendShare > settings.maxShare()) {
			return null;
		}
		double hedgeInTime = firstByte[hedge].cdf(targetSeconds - delay);
		// The hedge's own score bounds it too: it counts its failures and its end-to-end time.
		double miss = (1 - scores[primary].probability()) * (1 - Math.min(hedgeInTime, scores[hedge].probability()));
		return new Hedge(scores[hedge].deploymentId(), Math.round(delay * 1e9), sendShare,
				Math.min(1, Math.max(scores[primary].probability(), 1 - miss)));
	}

	private static boolean usable(CandidateScore score) {
		return score.standing().ordinal() <= Standing.BELOW_TARGET.ordinal();
	}

}
