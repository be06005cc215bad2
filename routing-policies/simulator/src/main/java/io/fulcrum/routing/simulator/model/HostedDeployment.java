package io.fulcrum.routing.simulator.model;

import java.util.ArrayDeque;

import io.fulcrum.routing.simulator.scenario.DeploymentSpec;
import io.fulcrum.routing.simulator.scenario.RateLimits;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.telemetry.Outcome;
import io.fulcrum.routing.telemetry.RateLimitHeadroom;

/**
 * A hosted model behind a provider API: per-request latencies drawn from the deployment's distributions (scaled by
 * brownouts), errors (base rate and outages), 429s beyond the per-minute limits, and a provider-side queue beyond
 * its concurrency.
 */
final class HostedDeployment extends SimDeployment {

	private static final long MINUTE = 60_000_000_000L;

	private final RateLimits limits;

	private final long timeoutNanos;

	private final long rateLimitedAfterNanos;

	private final ArrayDeque<Flight> queue = new ArrayDeque<>();

	private int active;

	private long window = Long.MIN_VALUE;

	private long windowRequests;

	private long windowTokens;

	HostedDeployment(int index, DeploymentSpec spec, Scenario scenario, EventQueue events, Outcomes outcomes,
			Luck luck) {
		super(index, spec, scenario, events, outcomes, luck);
		this.limits = spec.limits();
		this.timeoutNanos = scenario.attemptTimeoutNanos();
		this.rateLimitedAfterNanos = scenario.rateLimitedAfterNanos();
	}

	@Override
	void submit(Flight flight, long now) {
		this.stats.requestStarted();
		flight.attemptStart = now;
		flight.inService = false;
		if (!admitRate(flight, now)) {
			this.events.at(now + this.rateLimitedAfterNanos, () -> {
				if (flight.cancelled) {
					return;
				}
				finished();
				this.stats.headroom(new RateLimitHeadroom(0, 0, windowEnd()));
				this.outcomes.failed(flight, this, Outcome.RATE_LIMITED, this.events.now());
			});
			return;
		}
		if (this.spec.maxConcurrency() > 0 && this.active >= this.spec.maxConcurrency()) {
			this.queue.add(flight);
			return;
		}
		start(flight, now);
	}

	private void start(Flight flight, long now) {
		this.active++;
		flight.inService = true;
		Forecast forecast = realise(flight, now);
		flight.firstTokenAt = now + forecast.ttftNanos();
		flight.endAt = now + forecast.e2eNanos();
		long queued = now - flight.attemptStart;
		if (forecast.fails()) {
			this.events.at(now + forecast.ttftNanos(), () -> end(flight, false, forecast.outcome(), 0));
		}
		else {
			if (flight.sloClass.stream()) {
				this.events.at(now + forecast.ttftNanos(), () -> {
					if (!flight.cancelled) {
						this.outcomes.firstToken(flight, this, queued + forecast.ttftNanos(), this.events.now());
					}
				});
			}
			this.events.at(now + forecast.e2eNanos(), () -> end(flight, true, Outcome.SUCCESS,
					queued + forecast.ttftNanos()));
		}
	}

	private void end(Flight flight, boolean success, Outcome outcome, long ttftNanos) {
		if (flight.cancelled) {
			return;
		}
		long now = this.events.now();
		this.active--;
		finished();
		if (this.limits.any()) {
			roll(now);
			this.stats.headroom(headroom());
		}
		if (success) {
			this.outcomes.succeeded(flight, this, ttftNanos, now);
		}
		else {
			this.outcomes.failed(flight, this, outcome, now);
		}
		startQueued(now);
	}

	private void startQueued(long now) {
		if (!this.queue.isEmpty() && (this.spec.maxConcurrency() == 0 || this.active < this.spec.maxConcurrency())) {
			start(this.queue.poll(), now);
		}
	}

	@Override
	Cancelled cancel(Flight attempt, long now) {
		if (this.queue.remove(attempt)) {
			finished();
			return Cancelled.UNSERVED;
		}
		attempt.cancelled = true;
		finished();
		if (!attempt.inService) {
			return Cancelled.UNSERVED; // its 429 was on its way back
		}
		this.active--;
		// Output streams at an even pace between the first token and the end.
		long output = attempt.request.outputTokens();
		double produced = now < attempt.firstTokenAt ? 0
				: Math.min(output, 1 + (output - 1) * (now - attempt.firstTokenAt)
						/ (double) Math.max(1, attempt.endAt - attempt.firstTokenAt));
		startQueued(now);
		return new Cancelled(true, produced);
	}

	/**
	 * The attempt's fate from its luck: a failure carries the time it takes to fail in {@code ttftNanos}; a success
	 * its time to first token and end-to-end time from the start of service.
	 */
	private Forecast realise(Flight flight, long now) {
		Luck.Draw draw = this.luck.draw(flight.request.index(), this.luckKey);
		double slowdown = this.conditions.slowdown(now);
		double ttft = this.spec.ttft().at(draw.ttftZ()) * slowdown;
		if (this.spec.prefillTokensPerSecond() > 0) {
			ttft += flight.request.promptTokens() / this.spec.prefillTokensPerSecond() * slowdown;
		}
		long ttftNanos = Math.max(1, Math.round(ttft * 1e9));
		if (draw.failure() < this.conditions.errorRate(now)) {
			// An error comes back about when the first token would have.
			return new Forecast(Outcome.ERROR, cap(ttftNanos), cap(ttftNanos));
		}
		double perToken = this.spec.perToken().at(draw.tokenZ()) * slowdown;
		long e2eNanos = ttftNanos + Math.round(Math.max(0, flight.request.outputTokens() - 1) * perToken * 1e9);
		if (this.timeoutNanos > 0 && e2eNanos > this.timeoutNanos) {
			return new Forecast(Outcome.TIMEOUT, this.timeoutNanos, this.timeoutNanos);
		}
		return new Forecast(Outcome.SUCCESS, ttftNanos, e2eNanos);
	}

	private long cap(long nanos) {
		return this.timeoutNanos > 0 ? Math.min(nanos, this.timeoutNanos) : nanos;
	}

	@Override
	Forecast forecast(Flight flight, long now) {
		if (!wouldAdmitRate(flight, now)
				|| (this.spec.maxConcurrency() > 0 && this.active >= this.spec.maxConcurrency())) {
			return Forecast.FAILS;
		}
		return realise(flight, now);
	}

	/** Counts the request against the current one-minute window, or refuses it (fixed windows, like most APIs). */
	private boolean admitRate(Flight flight, long now) {
		if (!this.limits.any()) {
			return true;
		}
		if (!wouldAdmitRate(flight, now)) {
			return false;
		}
		this.windowRequests++;
		this.windowTokens += flight.tokens();
		return true;
	}

	private boolean wouldAdmitRate(Flight flight, long now) {
		if (!this.limits.any()) {
			return true;
		}
		roll(now);
		return (this.limits.requestsPerMinute() == 0 || this.windowRequests < this.limits.requestsPerMinute())
				&& (this.limits.tokensPerMinute() == 0
						|| this.windowTokens + flight.tokens() <= this.limits.tokensPerMinute());
	}

	private void roll(long now) {
		long current = Math.floorDiv(now, MINUTE);
		if (current != this.window) {
			this.window = current;
			this.windowRequests = 0;
			this.windowTokens = 0;
		}
	}

	private long windowEnd() {
		return (this.window + 1) * MINUTE;
	}

	/** What the provider's {@code x-ratelimit-remaining-*} headers would say now. */
	private RateLimitHeadroom headroom() {
		long requests = this.limits.requestsPerMinute() > 0 ? this.limits.requestsPerMinute() - this.windowRequests
				: -1;
		long tokens = this.limits.tokensPerMinute() > 0 ? this.limits.tokensPerMinute() - this.windowTokens : -1;
		return new RateLimitHeadroom(Math.max(requests, -1), Math.max(tokens, -1), windowEnd());
	}

}
