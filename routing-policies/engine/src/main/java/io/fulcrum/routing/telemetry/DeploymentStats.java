package io.fulcrum.routing.telemetry;

import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.routing.LatencyPrior;

/**
 * Everything the router learns about one deployment from live traffic: time to first token and per-token decode
 * time as time-decayed distributions per prompt-length band, success rate, requests in flight, circuit state,
 * rate-limit headroom and, for a local GPU backend, its reported load.
 *
 * <p>Thread-safe. Writers (request outcomes) serialise on the instance and refit the distributions at most every
 * {@link TelemetrySettings#refreshNanos()}; readers (routing decisions) never lock: they read immutable fits through
 * volatile fields.
 */
public final class DeploymentStats {

	/** Upper bounds (exclusive) of the prompt-length bands; time to first token grows with the prompt (prefill). */
	private static final long[] BAND_LIMITS = { 256, 1024, 4096, 16384 };

	private static final double TTFT_PRIOR_SIGMA = 0.5;

	/** Observations a prompt-length band needs before its own fit counts as much as the deployment-wide one. */
	private static final double BAND_PRIOR_WEIGHT = 30;

	private static final double PER_TOKEN_PRIOR_SIGMA = 0.3;

	private static final double Z90 = 1.2815515655446004;

	private static final double Z99 = 2.3263478740408408;

	private final String deploymentId;

	private final TelemetrySettings settings;

	private final double tauNanos;

	private final Band all;

	private final Band[] bands = new Band[BAND_LIMITS.length + 1];

	private static final long BLEND_REUSE_NANOS = 5_000_000L;

	// Racy by design: a lost update only costs a recomputation; the entries are immutable.
	private final Blended[] blended = new Blended[BAND_LIMITS.length + 1];

	private final AtomicInteger inFlight = new AtomicInteger();

	private double decayedRequests;

	private double decayedFailures;

	private long outcomesUpdatedNanos;

	private volatile Outcomes outcomes = new Outcomes(0, 0, 0);

	private volatile boolean circuitOpen;

	private volatile RateLimitHeadroom headroom = RateLimitHeadroom.UNKNOWN;

	private volatile BackendLoad backendLoad;

	public DeploymentStats(String deploymentId, TelemetrySettings settings) {
		this.deploymentId = deploymentId;
		this.settings = settings;
		this.tauNanos = settings.halfLifeNanos() / Math.log(2);
		this.all = new Band(settings.halfLifeNanos());
		for (int i = 0; i < this.bands.length; i++) {
			this.bands[i] = new Band(settings.halfLifeNanos());
		}
	}

	public String deploymentId() {
		return this.deploymentId;
	}

	/** Learns from one finished request. */
	public synchronized void observe(Observation observation) {
		long now = observation.atNanos();
		recordOutcome(observation.outcome().failed(), now);
		if (observation.outcome().failed() || observation.e2eNanos() <= 0) {
			return;
		}
		Band band = this.bands[band(observation.promptTokens())];
		double e2e = observation.e2eNanos() / 1e9;
		long generated = observation.outputTokens();
		double ttft;
		if (observation.ttftNanos() >= 0) {
			ttft = Math.min(observation.ttftNanos() / 1e9, e2e);
		}
		else if (generated <= 1) {
			ttft = e2e; // an embedding or a one-token answer: all of it is time to first token
		}
		else {
			// Not streamed: only the total is known. Split it in the proportion the current estimate predicts, so a
			// slowdown shows in both parts.
			Fit fit = band.fit != null ? band.fit : this.all.fit;
			double ttftMedian = fit != null ? fit.ttft.median() : 1;
			double perTokenMedian = fit != null && fit.perToken != null ? fit.perToken.median() : 0.02;
			ttft = e2e * ttftMedian / (ttftMedian + (generated - 1) * perTokenMedian);
		}
		if (!observation.firstTokenReported()) {
			band.ttft.add(ttft, now);
			this.all.ttft.add(ttft, now);
		}
		if (generated > 1) {
			double perToken = (e2e - ttft) / (generated - 1);
			band.perToken.add(perToken, now);
			this.all.perToken.add(perToken, now);
		}
		band.observed(now, this.settings.refreshNanos());
		this.all.observed(now, this.settings.refreshNanos());
	}

	/**
	 * Learns a time to first token as soon as the token arrives, long before a slow answer ends: a deployment that
	 * slows down shows it within one time-to-first-token. The request's {@link #observe} at its end must then say
	 * {@link Observation#firstTokenReported()}.
	 */
	public synchronized void observeFirstToken(long promptTokens, long ttftNanos, long atNanos) {
		Band band = this.bands[band(promptTokens)];
		double ttft = Math.max(ttftNanos, 1) / 1e9;
		band.ttft.add(ttft, atNanos);
		this.all.ttft.add(ttft, atNanos);
		band.observed(atNanos, this.settings.refreshNanos());
		this.all.observed(atNanos, this.settings.refreshNanos());
	}

	/**
	 * The latency to expect for a request with this many prompt tokens, blending learned distributions with
	 * {@code prior} in proportion to how much (decayed) evidence there is.
	 */
	public LatencyEstimate estimate(long promptTokens, long nowNanos, LatencyPrior prior) {
		int bandIndex = band(promptTokens);
		Fit overall = this.all.fit;
		Fit banded = this.bands[bandIndex].fit;
		// Decisions for the same band within a few milliseconds share one blend: between refits only the decay of
		// the evidence changes, and by a negligible amount.
		Blended cached = this.blended[bandIndex];
		if (cached != null && cached.prior == prior && cached.overall == overall && cached.banded == banded
				&& nowNanos - cached.atNanos < BLEND_REUSE_NANOS && nowNanos >= cached.atNanos
				&& cached.outcomes == this.outcomes) {
			return cached.estimate;
		}
		Outcomes outcomes = this.outcomes;
		LatencyEstimate estimate = blend(overall, banded, nowNanos, prior, outcomes);
		this.blended[bandIndex] = new Blended(prior, overall, banded, outcomes, nowNanos, estimate);
		return estimate;
	}

	private LatencyEstimate blend(Fit overall, Fit banded, long nowNanos, LatencyPrior prior, Outcomes outcomes) {
		LogNormal configuredTtft = LogNormal.ofMedian(prior.ttftSeconds(), TTFT_PRIOR_SIGMA);
		LogNormal configuredPerToken = LogNormal.ofMedian(1 / prior.tokensPerSecond(), PER_TOKEN_PRIOR_SIGMA);
		double overallWeight = weight(overall, nowNanos);
		LogNormal ttft = blend(overall == null ? null : overall.ttft, overallWeight, configuredTtft);
		LogNormal perToken = blend(overall == null ? null : overall.perToken, weight(overall, nowNanos, true),
				configuredPerToken);
		if (banded != null) {
			// A band's own tail needs more evidence than a fresh deployment's first guess: it refines the
			// deployment-wide fit only as its observations accumulate.
			ttft = blend(banded.ttft, weight(banded, nowNanos), ttft, BAND_PRIOR_WEIGHT);
			perToken = blend(banded.perToken, weight(banded, nowNanos, true), perToken, BAND_PRIOR_WEIGHT);
		}
		return new LatencyEstimate(ttft, perToken, overallWeight, successRate(outcomes, nowNanos));
	}

	/** Decayed number of successful observations at {@code nowNanos}: how much the router knows now. */
	public double weight(long nowNanos) {
		return weight(this.all.fit, nowNanos);
	}

	public void requestStarted() {
		this.inFlight.incrementAndGet();
	}

	public void requestFinished() {
		this.inFlight.decrementAndGet();
	}

	public int inFlight() {
		return this.inFlight.get();
	}

	public boolean circuitOpen() {
		return this.circuitOpen;
	}

	/** Set by whatever owns the circuit breaker when its state changes. */
	public void circuitOpen(boolean open) {
		this.circuitOpen = open;
	}

	public RateLimitHeadroom headroom() {
		return this.headroom;
	}

	public void headroom(RateLimitHeadroom headroom) {
		this.headroom = headroom;
	}

	/** The backend's last load report, or {@code null} when none is fresh at {@code nowNanos}. */
	public BackendLoad backendLoad(long nowNanos) {
		BackendLoad load = this.backendLoad;
		return load == null || nowNanos - load.atNanos() > BackendLoad.STALE_AFTER_NANOS ? null : load;
	}

	public void backendLoad(BackendLoad load) {
		this.backendLoad = load;
	}

	/** The decayed share of recent requests that succeeded, now. */
	public double successRate(long nowNanos) {
		return successRate(this.outcomes, nowNanos);
	}

	/**
	 * Failures fade as they age, towards a prior of a few imaginary successes: a deployment that failed a burst
	 * and then received no traffic is not condemned forever (a plain ratio of decayed counts would never change).
	 */
	private double successRate(Outcomes outcomes, long nowNanos) {
		if (outcomes.requests == 0) {
			return 1;
		}
		double decay = Math.min(1, Math.exp(-(nowNanos - outcomes.atNanos) / this.tauNanos));
		return 1 - outcomes.failures * decay / (outcomes.requests * decay + this.settings.priorWeight());
	}

	private void recordOutcome(boolean failed, long now) {
		double decay = this.outcomesUpdatedNanos == 0 ? 1 : Math.exp(-(now - this.outcomesUpdatedNanos) / this.tauNanos);
		this.outcomesUpdatedNanos = now;
		this.decayedRequests = this.decayedRequests * Math.min(1, decay) + 1;
		this.decayedFailures = this.decayedFailures * Math.min(1, decay) + (failed ? 1 : 0);
		this.outcomes = new Outcomes(this.decayedRequests, this.decayedFailures, now);
	}

	private double weight(Fit fit, long nowNanos) {
		return weight(fit, nowNanos, false);
	}

	private double weight(Fit fit, long nowNanos, boolean perToken) {
		if (fit == null) {
			return 0;
		}
		double atFit = perToken ? fit.perTokenWeight : fit.ttftWeight;
		return atFit * Math.min(1, Math.exp(-(nowNanos - fit.fittedAtNanos) / this.tauNanos));
	}

	private LogNormal blend(LogNormal learned, double weight, LogNormal prior) {
		return blend(learned, weight, prior, this.settings.priorWeight());
	}

	private static LogNormal blend(LogNormal learned, double weight, LogNormal prior, double priorWeight) {
		if (learned == null || weight <= 0) {
			return prior;
		}
		double k = weight / (weight + priorWeight);
		return new LogNormal(k * learned.mu() + (1 - k) * prior.mu(), k * learned.sigma() + (1 - k) * prior.sigma());
	}

	private static int band(long promptTokens) {
		for (int i = 0; i < BAND_LIMITS.length; i++) {
			if (promptTokens < BAND_LIMITS[i]) {
				return i;
			}
		}
		return BAND_LIMITS.length;
	}

	/**
	 * Fits a lognormal to a sketch: the median fixes mu, the p90 fixes sigma, and once there are enough observations
	 * for a stable p99 (a thousand: ten in the tail), a heavier p99 tail widens it.
	 */
	static LogNormal fit(DecayingSketch sketch, double weight) {
		double median = sketch.quantile(0.5);
		if (Double.isNaN(median)) {
			return null;
		}
		double mu = Math.log(median);
		double sigma = (Math.log(sketch.quantile(0.9)) - mu) / Z90;
		if (weight >= 1000) {
			sigma = Math.max(sigma, (Math.log(sketch.quantile(0.99)) - mu) / Z99);
		}
		return new LogNormal(mu, Math.min(3, Math.max(0.02, sigma)));
	}

	/** The sketches of one prompt-length band and their latest fit. */
	private static final class Band {

		final DecayingSketch ttft;

		final DecayingSketch perToken;

		volatile Fit fit;

		Band(long halfLifeNanos) {
			this.ttft = new DecayingSketch(halfLifeNanos);
			this.perToken = new DecayingSketch(halfLifeNanos);
		}

		void observed(long now, long refreshNanos) {
			Fit current = this.fit;
			// Refit on every observation while evidence is thin, then at most every refreshNanos.
			if (current == null || current.ttftWeight < 50 || current.perTokenWeight < 50
					|| now - current.fittedAtNanos >= refreshNanos) {
				double ttftWeight = this.ttft.weight(now);
				double perTokenWeight = this.perToken.weight(now);
				this.fit = new Fit(fit(this.ttft, ttftWeight), fit(this.perToken, perTokenWeight), ttftWeight,
						perTokenWeight, now);
			}
		}

	}

	/** A blended estimate and what it was computed from. */
	private record Blended(LatencyPrior prior, Fit overall, Fit banded, Outcomes outcomes, long atNanos,
			LatencyEstimate estimate) {
	}

	/** Decayed request and failure counts as of {@code atNanos}. */
	private record Outcomes(double requests, double failures, long atNanos) {
	}

	/** An immutable fit, read by routing decisions without locking. */
	private record Fit(LogNormal ttft, LogNormal perToken, double ttftWeight, double perTokenWeight,
			long fittedAtNanos) {
	}

}
