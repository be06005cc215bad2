package io.fulcrum.routing.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.fulcrum.routing.Candidate;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingRequest;
import io.fulcrum.routing.Slo;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.scoring.ScoringSettings;
import io.fulcrum.routing.scoring.SloAwarePolicy;
import io.fulcrum.routing.telemetry.DeploymentStats;
import io.fulcrum.routing.telemetry.Observation;
import io.fulcrum.routing.telemetry.TelemetrySettings;

/**
 * What one routing decision costs: the SLO- and cost-aware policy ranking {@code candidates} deployments whose
 * statistics hold a few thousand observations each, as in steady traffic at 2,000 requests/s (so cached blends of
 * the learned distributions are reused for a few milliseconds, as in the gateway). The issue's target is a median under
 * 20 µs with 20 candidates. Run: {@code java -jar routing-policies/benchmarks/target/*-jmh.jar}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingDecisionBenchmark {

	private static final long SECOND = 1_000_000_000L;

	@Param({ "5", "20" })
	public int candidates;

	/** Whether the policy plans hedges (off by default in policies): each decision then also plans one. */
	@Param({ "false", "true" })
	public boolean hedging;

	private SloAwarePolicy policy;

	private List<Candidate> list;

	private RoutingRequest[] requests;

	private int next;

	@Setup(Level.Trial)
	public void setUp() {
		SplittableRandom random = new SplittableRandom(42);
		this.list = new ArrayList<>(this.candidates);
		long now = 600 * SECOND;
		for (int i = 0; i < this.candidates; i++) {
			String id = "deployment-" + i;
			double ttft = 0.2 + 0.1 * i;
			DeploymentProfile profile = new DeploymentProfile(id, "provider-" + (i % 4), i % 5 == 0,
					new TokenPrices(0.1 + 0.2 * i, 0.4 + 0.8 * i, 0.05 * i, 0), new LatencyPrior(ttft, 80), 0);
			DeploymentStats stats = new DeploymentStats(id, TelemetrySettings.DEFAULTS);
			// Five minutes of traffic at ~10 requests/s with lognormal latencies and all prompt lengths.
			for (int r = 0; r < 3000; r++) {
				double noise = Math.exp(0.4 * random.nextGaussian());
				long ttftNanos = (long) (ttft * noise * SECOND);
				long prompt = (long) Math.exp(random.nextDouble(3, 10));
				stats.observe(Observation.streamed(prompt, 200, ttftNanos, ttftNanos + (long) (199 * 0.012 * noise * SECOND),
						now - (3000 - r) * 100_000_000L));
			}
			this.list.add(new Candidate(profile, i, stats));
		}
		ScoringSettings settings = this.hedging
				? ScoringSettings.DEFAULTS.withHedging(ScoringSettings.DEFAULTS.hedging().withEnabled(true))
				: ScoringSettings.DEFAULTS;
		this.policy = new SloAwarePolicy(settings, random::nextDouble);
		Slo slo = new Slo(SECOND, 10 * SECOND, 0.99);
		this.requests = new RoutingRequest[1024];
		for (int i = 0; i < this.requests.length; i++) {
			this.requests[i] = new RoutingRequest("tenant", "key", "chat", i % 2 == 0, (long) Math.exp(random.nextDouble(3, 10)),
					0, 200, slo, Priority.INTERACTIVE, Double.NaN, now + i * 500_000L); // 2,000 requests/s
		}
	}

	@Benchmark
	public RoutingDecision decide() {
		RoutingRequest request = this.requests[this.next++ & 1023];
		return this.policy.decide(request, this.list);
	}

}
