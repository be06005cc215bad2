package io.fulcrum.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import io.fulcrum.routing.RoutingTable.AliasRoute;
import io.fulcrum.routing.baseline.OrderedPolicy;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.scoring.SloAwarePolicy;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.OutputLengthModel;
import io.fulcrum.routing.telemetry.TelemetrySettings;

/**
 * The routing engine's front door: resolves a request's policy (alias, tenant override), its SLO (the request's
 * own or its priority class's) and its expected output length, asks the policy for a decision, and learns from
 * every outcome. Policies can be replaced at any time without losing what was learned.
 *
 * <p>Thread-safe; {@link #route} never blocks.
 */
public final class Router {

	private final TelemetrySettings telemetry;

	private final DoubleSupplier random;

	private final Map<String, DeploymentStats> stats = new ConcurrentHashMap<>();

	private volatile OutputLengthModel outputLengths;

	private volatile RoutingTable table;

	private volatile PolicyDocument document = PolicyDocument.EMPTY;

	private volatile Map<String, List<RoutingTable.Ranked>> deployments = Map.of();

	/**
	 * @param telemetry how fast the router forgets
	 * @param random uniform numbers in [0, 1) for exploration
	 */
	public Router(TelemetrySettings telemetry, DoubleSupplier random) {
		this.telemetry = telemetry;
		this.random = random;
		this.outputLengths = new OutputLengthModel(telemetry.halfLifeNanos() * 10, 100_000);
		this.table = RoutingTable.compile(PolicyDocument.EMPTY, Map.of(), this::stats, random);
	}

	/**
	 * Replaces the catalog and the policies together (e.g. at start-up or on a configuration change).
	 * @throws io.fulcrum.routing.policy.PolicyException when the policies do not fit the catalog; the current table
	 * stays in force
	 */
	public synchronized void configure(Map<String, List<RoutingTable.Ranked>> deploymentsByAlias,
			PolicyDocument policies) {
		this.table = RoutingTable.compile(policies, deploymentsByAlias, this::stats, this.random);
		this.deployments = Map.copyOf(deploymentsByAlias);
		this.document = policies;
	}

	/**
	 * Forgets everything learned from traffic (deployments' latency, success and load, output lengths, error
	 * budgets) and starts again from the configured priors, keeping the catalog and the policies: after a change of
	 * topology that makes the history misleading, and between tests that share one gateway.
	 */
	public synchronized void forget() {
		this.stats.clear();
		this.outputLengths = new OutputLengthModel(this.telemetry.halfLifeNanos() * 10, 100_000);
		configure(this.deployments, this.document);
	}

	/** Replaces the policies, keeping the catalog; checked first, so a bad document changes nothing. */
	public synchronized void apply(PolicyDocument policies) {
		configure(this.deployments, policies);
	}

	/** Checks policies against the current catalog without applying them. */
	public void validate(PolicyDocument policies) {
		RoutingTable.compile(policies, this.deployments, this::stats, this.random);
	}

	public PolicyDocument policies() {
		return this.document;
	}

	/**
	 * The default SLO of an alias for an app key (its own policy, else its tenant's, else the alias's) and priority
	 * class; {@link Slo#NONE} when none is declared.
	 */
	public Slo slo(String alias, String tenantId, String keyId, Priority priority) {
		AliasRoute route = this.table.route(alias, tenantId, keyId);
		return route == null ? Slo.NONE : route.declared().slo(priority);
	}

	/**
	 * Whether the alias's policy (for this tenant) uses what is known about a request (prompt length, SLO), so the
	 * caller counts prompt tokens only when they matter.
	 */
	public boolean scores(String alias, String tenantId, String keyId) {
		AliasRoute route = this.table.route(alias, tenantId, keyId);
		return route != null && !(route.policy() instanceof OrderedPolicy);
	}

	/** Decides where {@code request} goes; an unknown alias is rejected. */
	public RoutingDecision route(RoutingRequest request) {
		AliasRoute route = this.table.route(request.modelAlias(), request.tenantId(), request.keyId());
		if (route == null) {
			return RoutingDecision.reject("model '" + request.modelAlias() + "' is not routed");
		}
		Slo slo = request.slo() != null ? request.slo() : route.declared().slo(request.priority());
		double output = this.outputLengths.expected(request.keyId(), request.modelAlias(), request.maxTokens(),
				request.nowNanos());
		return route.policy().decide(request.withExpectations(output, slo), route.candidates());
	}

	/**
	 * Learns whether a finished request met its SLO, and the probability its route was predicted to meet it with
	 * (the chosen candidate's score), so that the policy can spend the class's error budget. Only SLO-aware policies
	 * use it.
	 */
	public void sloOutcome(String alias, String tenantId, String keyId, Priority priority, boolean met,
			double predicted, long nowNanos) {
		AliasRoute route = this.table.route(alias, tenantId, keyId);
		if (route != null && route.policy() instanceof SloAwarePolicy policy) {
			policy.recordOutcome(priority, met, predicted, nowNanos);
		}
	}

	/** The output length this key's requests to this alias usually produce (see {@link OutputLengthModel}). */
	public double expectedOutputTokens(String keyId, String alias, long nowNanos) {
		return this.outputLengths.expected(keyId, alias, 0, nowNanos);
	}

	/** The live statistics of a deployment, created on first use and kept for the router's life. */
	public DeploymentStats stats(String deploymentId) {
		return this.stats.computeIfAbsent(deploymentId, id -> new DeploymentStats(id, this.telemetry));
	}

	/**
	 * Learns from one finished attempt: the deployment's latency and success, and (for a success) how long the
	 * key's answers run.
	 */
	public void observe(String keyId, String alias, String deploymentId, Observation observation) {
		stats(deploymentId).observe(observation);
		if (!observation.outcome().failed() && observation.outputTokens() > 0) {
			this.outputLengths.observe(keyId, alias, observation.outputTokens(), observation.atNanos());
		}
	}

}
