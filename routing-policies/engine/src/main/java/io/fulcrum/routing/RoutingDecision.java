package io.fulcrum.routing;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of routing one request: either an ordered list of deployments to try (the first is the choice, the
 * rest are its fallbacks) or a refusal. Either way it carries each candidate's score, so it can be explained.
 */
public sealed interface RoutingDecision {

	/** Try {@code deploymentIds} in order; {@code reason} says why, for logs and traces. */
	static Route route(List<String> deploymentIds, String reason) {
		return route(deploymentIds, reason, List.of());
	}

	/** Try {@code deploymentIds} in order, explained by {@code scores}. */
	static Route route(List<String> deploymentIds, String reason, List<CandidateScore> scores) {
		if (deploymentIds.isEmpty()) {
			throw new IllegalArgumentException("a route needs at least one deployment");
		}
		return new Route(List.copyOf(deploymentIds), reason, scores, null);
	}

	/** Serve nothing; {@code reason} is shown to the client. */
	static Reject reject(String reason) {
		return new Reject(reason, false, List.of());
	}

	/** Refuse sheddable (batch) work that no deployment can serve within its SLO. */
	static Reject shed(String reason, List<CandidateScore> scores) {
		return new Reject(reason, true, scores);
	}

	String reason();

	List<CandidateScore> scores();

	/**
	 * A compact, header-safe account of the decision, e.g.
	 * {@code chose=gpt-mini; gpt-mini p=0.995 ttft=0.41s e2e=2.1s cost=$0.000123 qualifies; ...}.
	 */
	default String explain() {
		StringBuilder out = new StringBuilder(64 + 80 * scores().size());
		if (this instanceof Route route) {
			out.append("chose=").append(route.deploymentIds().get(0));
			Hedge hedge = route.hedge();
			if (hedge != null) {
				out.append(String.format(Locale.ROOT, "; hedge=%s after=%.3gs send=%.3g%% p=%.3f", hedge.deploymentId(),
						hedge.delayNanos() / 1e9, hedge.sendShare() * 100, hedge.probability()));
			}
		}
		else {
			out.append(((Reject) this).shed() ? "shed" : "rejected");
		}
		for (CandidateScore score : scores()) {
			out.append("; ")
				.append(score.deploymentId())
				.append(String.format(Locale.ROOT, " p=%.3f ttft=%.3gs e2e=%.3gs cost=$%.3g ", score.probability(),
						score.ttftSeconds(), score.e2eSeconds(), score.expectedCost()))
				.append(score.standing().label());
		}
		return out.toString();
	}

	/**
	 * A decision to try deployments in order.
	 *
	 * @param hedge a second attempt to start if the first has not answered in time, or {@code null}
	 */
	record Route(List<String> deploymentIds, String reason, List<CandidateScore> scores,
			@Nullable Hedge hedge) implements RoutingDecision {

		/** The chosen deployment. */
		public String first() {
			return this.deploymentIds.get(0);
		}

		/** This route with a hedge; the hedge's deployment must be one of the route's, other than the first. */
		public Route withHedge(Hedge hedge) {
			int at = this.deploymentIds.indexOf(hedge.deploymentId());
			if (at < 1) {
				throw new IllegalArgumentException("the hedge '" + hedge.deploymentId()
						+ "' must be a deployment of the route other than its first " + this.deploymentIds);
			}
			return new Route(this.deploymentIds, this.reason, this.scores, hedge);
		}

	}

	/**
	 * A second attempt, on {@code deploymentId}, to start if the first attempt has not produced its first byte
	 * (a stream's first token, else the whole answer) {@code delayNanos} after it started. The first of the two to
	 * produce it wins and the other is cancelled; only the winner is billed.
	 *
	 * @param deploymentId where the hedge goes
	 * @param delayNanos how long after the first attempt started the hedge starts
	 * @param sendShare the predicted probability that the first attempt is still silent then (the hedge is sent)
	 * @param probability the predicted probability of meeting the SLO with the hedge
	 */
	record Hedge(String deploymentId, long delayNanos, double sendShare, double probability) {

		public Hedge {
			if (delayNanos < 0) {
				throw new IllegalArgumentException("a hedge's delay must not be negative");
			}
		}

	}

	/**
	 * A decision to refuse the request.
	 *
	 * @param shed {@code true} when batch work was shed because no deployment could meet its SLO
	 */
	record Reject(String reason, boolean shed, List<CandidateScore> scores) implements RoutingDecision {
	}

}
