package io.fulcrum.routing.simulator.model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.CandidateScore;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingPolicy;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.scoring.SloAwarePolicy;
import io.fulcrum.routing.simulator.policy.PolicyChoice;
import io.fulcrum.routing.simulator.report.PolicyResult;
import io.fulcrum.routing.simulator.report.RunMetrics;
import io.fulcrum.routing.simulator.scenario.DeploymentSpec;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.simulator.scenario.SloClass;
import io.fulcrum.routing.simulator.trace.TraceRequest;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.Outcome;
import io.fulcrum.routing.telemetry.OutputLengthModel;

/**
 * One policy replaying one trace against one scenario in virtual time. It feeds the router exactly what the
 * gateway would: in-flight counts, every outcome with its latencies, 429s with rate-limit headroom, circuit
 * breaker state, the GPU's load reports, and learned output lengths (never the trace's own). Runs are
 * deterministic for a given seed.
 */
public final class Simulation implements Outcomes {

	private static final long OUTPUT_HALF_LIFE_NANOS = 300_000_000_000L;

	private final Scenario scenario;

	private final List<TraceRequest> trace;

	private final PolicyChoice choice;

	private final Luck luck;

	private final EventQueue events = new EventQueue();

	private final SimDeployment[] deployments;

	private final List<Candidate> candidates;

	private final Map<String, Integer> indexById = new HashMap<>();

	private final OutputLengthModel outputLengths = new OutputLengthModel(OUTPUT_HALF_LIFE_NANOS, 100_000);

	private final RunMetrics metrics;

	private final RoutingPolicy policy;

	private final OracleRouter oracle;

	private int explainEvery;

	private PrintStream explainTo;

	/**
	 * @param scenario the deployments and their troubles
	 * @param trace requests in arrival order
	 * @param choice the policy
	 * @param seed the luck
	 */
	public Simulation(Scenario scenario, List<TraceRequest> trace, PolicyChoice choice, long seed) {
		this.scenario = scenario;
		this.trace = trace;
		this.choice = choice;
		this.luck = new Luck(seed);
		List<DeploymentSpec> specs = scenario.deployments();
		this.deployments = new SimDeployment[specs.size()];
		List<Candidate> candidates = new ArrayList<>();
		for (int i = 0; i < specs.size(); i++) {
			DeploymentSpec spec = specs.get(i);
			this.deployments[i] = spec.gpu() != null
					? new GpuDeployment(i, spec, scenario, this.events, this, this.luck)
					: new HostedDeployment(i, spec, scenario, this.events, this, this.luck);
			candidates.add(this.deployments[i].candidate);
			this.indexById.put(spec.id(), i);
		}
		this.candidates = List.copyOf(candidates);
		this.metrics = new RunMetrics(choice.name(), specs.stream().map(DeploymentSpec::id).toList(),
				List.copyOf(scenario.classes().keySet()));
		this.policy = choice.oracle() ? null : choice.factory().apply(new PolicyChoice.Setup(scenario, seed));
		this.oracle = choice.oracle() ? new OracleRouter(this.deployments) : null;
	}

	/** Prints the explanation of every {@code every}-th decision of an engine policy to {@code out}. */
	public Simulation explain(int every, PrintStream out) {
		this.explainEvery = every;
		this.explainTo = out;
		return this;
	}

	/** Runs the whole trace and every request to its end. */
	public PolicyResult run() {
		long started = System.nanoTime();
		if (!this.trace.isEmpty()) {
			long last = this.trace.get(this.trace.size() - 1).arrivalNanos();
			for (SimDeployment deployment : this.deployments) {
				if (deployment instanceof GpuDeployment gpu) {
					gpu.reportLoad(this.trace.get(0).arrivalNanos(), last);
				}
			}
		}
		int next = 0;
		int n = this.trace.size();
		while (next < n || !this.events.isEmpty()) {
			// Arrivals merge with the event queue instead of being queued up front: a smaller heap, faster runs.
			if (next < n && (this.events.isEmpty() || this.trace.get(next).arrivalNanos() <= this.events.peekTime())) {
				TraceRequest request = this.trace.get(next++);
				this.events.at(request.arrivalNanos(), () -> arrive(request));
			}
			this.events.step();
		}
		return this.metrics.result(System.nanoTime() - started);
	}

	private void arrive(TraceRequest request) {
		long now = this.events.now();
		String className = this.scenario.mapping().classOf(request, this.luck.uniform(request.index()));
		SloClass sloClass = this.scenario.classes().get(className);
		if (sloClass == null) {
			throw new IllegalArgumentException("trace request " + request.index() + " names SLO class '" + className
					+ "', which the scenario does not define " + this.scenario.classes().keySet());
		}
		String tenant = request.tenant() != null ? request.tenant() : "default";
		Flight flight = new Flight(request, sloClass, tenant);
		if (this.oracle != null) {
			flight.route = this.oracle.route(flight, now);
			tryNext(flight, now);
			return;
		}
		for (SimDeployment deployment : this.deployments) {
			deployment.breaker.allows(now); // lets a breaker whose time is up tell the router it closed
		}
		double expected = this.outputLengths.expected(tenant, this.scenario.alias(), 0, now);
		RoutingRequest routing = new RoutingRequest(tenant, tenant, this.scenario.alias(), sloClass.stream(),
				request.promptTokens(), 0, expected, sloClass.slo(), sloClass.priority(), Double.NaN, now);
		RoutingDecision decision = this.policy.decide(routing, this.candidates);
		if (!decision.scores().isEmpty()
				&& decision.scores().stream().noneMatch(s -> s.standing() == CandidateScore.Standing.QUALIFIES)) {
			this.metrics.noneQualified();
		}
		if (this.explainEvery > 0 && request.index() % this.explainEvery == 0) {
			this.explainTo.printf(Locale.ROOT, "%s t=%.1fs #%d %s expected=%.0f: %s%n", this.choice.name(),
					now / 1e9, request.index(), sloClass.name(), expected, decision.explain());
		}
		if (decision instanceof RoutingDecision.Route route) {
			List<String> ids = route.deploymentIds();
			int[] indices = new int[ids.size()];
			for (int i = 0; i < indices.length; i++) {
				indices[i] = this.indexById.get(ids.get(i));
			}
			flight.route = indices;
			if (!route.scores().isEmpty()) {
				flight.predicted = route.scores().get(0).probability();
			}
			RoutingDecision.Hedge hedge = route.hedge();
			if (hedge != null) {
				flight.hedgeDeployment = this.indexById.get(hedge.deploymentId());
				flight.hedgeDelayNanos = hedge.delayNanos();
				flight.predicted = hedge.probability();
			}
			tryNext(flight, now);
		}
		else {
			this.metrics.rejected(sloClass.name(), request.arrivalNanos());
			sloOutcome(flight, false, now);
		}
	}

	private void tryNext(Flight flight, long now) {
		while (flight.next < flight.route.length) {
			int index = flight.route[flight.next++];
			if (flight.hedgeSent && index == flight.hedgeDeployment) {
				continue; // tried already, as the hedge
			}
			SimDeployment deployment = this.deployments[index];
			if (flight.next > 1) {
				flight.fallbacks++;
			}
			if (deployment.breaker.allows(now)) {
				if (flight.next == 1 && flight.hedgeDeployment >= 0) {
					flight.hedgeArmed = true;
					flight.racing = deployment;
					this.events.at(now + flight.hedgeDelayNanos, () -> sendHedge(flight));
				}
				deployment.submit(flight, now);
				return;
			}
		}
		this.metrics.failed(flight.sloClass.name(), flight.request.arrivalNanos(), flight.fallbacks);
		sloOutcome(flight, false, now);
	}

	/**
	 * Starts the planned hedge if the first attempt is still running without its first byte (a stream's first
	 * token, else the whole answer).
	 */
	private void sendHedge(Flight flight) {
		if (!flight.hedgeArmed) {
			return;
		}
		flight.hedgeArmed = false;
		long now = this.events.now();
		SimDeployment deployment = this.deployments[flight.hedgeDeployment];
		if (!deployment.breaker.allows(now)) {
			return;
		}
		Flight hedge = flight.hedgeAttempt();
		flight.hedge = hedge;
		flight.hedgeRacing = deployment;
		flight.hedgeSent = true;
		this.metrics.hedgeSent();
		deployment.submit(hedge, now);
	}

	/**
	 * {@code winner} produced the first byte while racing: the other attempt is cancelled. Its provider cost (the
	 * prompt, once its deployment had started on it, and what it had generated) is wasted but paid. A first
	 * attempt that lost tells its deployment that its first token took at least this long, as the gateway does:
	 * without it, a deployment whose slow requests are all rescued by hedges would never look slow.
	 */
	private void settleRace(Flight flight, Flight winner, long now) {
		boolean hedgeWon = winner != flight;
		Flight loser = hedgeWon ? flight : flight.hedge;
		SimDeployment loserDeployment = hedgeWon ? flight.racing : flight.hedgeRacing;
		flight.hedge = null;
		SimDeployment.Cancelled cancelled = loserDeployment.cancel(loser, now);
		TraceRequest request = flight.request;
		this.metrics.wasted(loserDeployment.spec.prices()
			.cost(cancelled.served() ? request.promptTokens() : 0, 0, cancelled.outputTokens()));
		if (hedgeWon) {
			this.metrics.hedgeWon();
			if (flight.sloClass.stream()) {
				loserDeployment.stats.observeFirstToken(request.promptTokens(), now - loser.attemptStart, now);
			}
		}
	}

	/** Tells an SLO-aware router whether a request of the class met its SLO, as the gateway does. */
	private void sloOutcome(Flight flight, boolean met, long now) {
		if (this.policy instanceof SloAwarePolicy sloAware) {
			sloAware.recordOutcome(flight.sloClass.priority(), met, flight.predicted, now);
		}
	}

	@Override
	public void firstToken(Flight attempt, SimDeployment deployment, long ttftNanos, long now) {
		// As the gateway does for streams: the router learns the time to first token when the token arrives.
		deployment.stats.observeFirstToken(attempt.request.promptTokens(), ttftNanos, now);
		firstByte(attempt, now);
	}

	/** The attempt produced the request's first byte: no hedge is needed any more, and a race is decided. */
	private void firstByte(Flight attempt, long now) {
		Flight flight = attempt.request();
		flight.hedgeArmed = false;
		if (flight.racing()) {
			settleRace(flight, attempt, now);
		}
	}

	@Override
	public void succeeded(Flight attempt, SimDeployment deployment, long ttftNanos, long now) {
		if (!attempt.sloClass.stream()) {
			firstByte(attempt, now); // an unstreamed answer arrives whole
		}
		Flight flight = attempt.request();
		TraceRequest request = flight.request;
		long attemptE2e = now - attempt.attemptStart;
		Observation observation = flight.sloClass.stream()
				? Observation.streamedAfterFirstToken(request.promptTokens(), request.outputTokens(), ttftNanos,
						attemptE2e, now)
				: new Observation(request.promptTokens(), request.outputTokens(), -1, attemptE2e, Outcome.SUCCESS,
						now);
		deployment.stats.observe(observation);
		deployment.breaker.succeeded();
		this.outputLengths.observe(flight.tenant, this.scenario.alias(), request.outputTokens(), now);
		long waited = attempt.attemptStart - request.arrivalNanos(); // time lost to failed attempts or the hedge delay
		long ttft = waited + ttftNanos;
		long e2e = now - request.arrivalNanos();
		double cost = deployment.spec.prices().cost(request.promptTokens(), 0, request.outputTokens());
		boolean met = flight.sloClass.met(ttft, e2e);
		sloOutcome(flight, met, now);
		this.metrics.served(flight.sloClass.name(), request.arrivalNanos(), deployment.index, ttft, e2e, met, cost,
				flight.tokens(), flight.fallbacks);
	}

	@Override
	public void failed(Flight attempt, SimDeployment deployment, Outcome outcome, long now) {
		deployment.stats.observe(Observation.failed(attempt.request.promptTokens(), outcome, now));
		if (outcome != Outcome.RATE_LIMITED) {
			deployment.breaker.failed(now);
		}
		Flight flight = attempt.request();
		if (flight.racing()) {
			// The other attempt of the race carries on alone; the request falls back only if it fails too.
			flight.hedge = null;
			return;
		}
		flight.hedgeArmed = false;
		tryNext(flight, now);
	}

}
