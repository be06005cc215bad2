package io.fulcrum.routing.simulator.model;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

import io.fulcrum.routing.simulator.scenario.DeploymentSpec;
import io.fulcrum.routing.simulator.scenario.GpuSpec;
import io.fulcrum.routing.simulator.scenario.Scenario;
import io.fulcrum.routing.telemetry.BackendLoad;
import io.fulcrum.routing.telemetry.Outcome;

/**
 * A local GPU with continuous batching. Up to {@code maxBatch} requests run at once: each is prefilled, then
 * decodes at the per-request speed the throughput curve gives for the current batch size, so every admission and
 * completion changes everyone's speed. That is processor sharing, simulated exactly and cheaply by tracking the
 * tokens each running request has been able to decode since the start ({@code progress}): a request needing
 * {@code n} tokens that started decoding at progress {@code p} finishes when progress reaches {@code p + n}.
 * Requests beyond the batch wait in a FIFO queue; beyond its limit they are refused at once (503). The backend
 * reports its load (running, waiting, KV-cache use) every 100 ms, as the gateway would poll it.
 */
final class GpuDeployment extends SimDeployment {

	static final long REPORT_EVERY_NANOS = 100_000_000L;

	private static final long REFUSED_AFTER_NANOS = 1_000_000L;

	private final GpuSpec gpu;

	private final ArrayDeque<Flight> waiting = new ArrayDeque<>();

	private final PriorityQueue<Decoding> decoding = new PriorityQueue<>();

	private int running;

	private long kvTokens;

	private double progress;

	private long progressAt;

	private long generation;

	GpuDeployment(int index, DeploymentSpec spec, Scenario scenario, EventQueue events, Outcomes outcomes,
			Luck luck) {
		super(index, spec, scenario, events, outcomes, luck);
		this.gpu = spec.gpu();
	}

	/** Starts the periodic load reports; they stop by themselves when {@code until} is reached. */
	void reportLoad(long from, long until) {
		this.events.at(from, () -> report(until));
	}

	private void report(long until) {
		long now = this.events.now();
		double kv = this.gpu.kvCacheTokens() > 0 ? Math.min(1, this.kvTokens / (double) this.gpu.kvCacheTokens()) : 0;
		this.stats.backendLoad(new BackendLoad(this.running, this.waiting.size(), kv, now));
		if (now + REPORT_EVERY_NANOS <= until) {
			this.events.at(now + REPORT_EVERY_NANOS, () -> report(until));
		}
	}

	@Override
	void submit(Flight flight, long now) {
		this.stats.requestStarted();
		flight.attemptStart = now;
		flight.inService = false;
		Luck.Draw draw = this.luck.draw(flight.request.index(), this.luckKey);
		if (draw.failure() < this.conditions.errorRate(now)) {
			this.events.at(now + Math.round(this.gpu.baseTtftSeconds() * 1e9), () -> fail(flight, Outcome.ERROR));
			return;
		}
		if (this.running < this.gpu.maxBatch()) {
			admit(flight, now);
		}
		else if (this.waiting.size() < this.gpu.queueLimit()) {
			this.waiting.add(flight);
		}
		else {
			this.events.at(now + REFUSED_AFTER_NANOS, () -> fail(flight, Outcome.ERROR));
		}
	}

	private void fail(Flight flight, Outcome outcome) {
		if (flight.cancelled) {
			return;
		}
		finished();
		this.outcomes.failed(flight, this, outcome, this.events.now());
	}

	private void admit(Flight flight, long now) {
		advance(now);
		flight.inService = true;
		this.running++;
		this.kvTokens += flight.tokens();
		long prefill = prefillNanos(flight, now);
		this.events.at(now + prefill, () -> prefilled(flight));
		reschedule(now);
	}

	private long prefillNanos(Flight flight, long now) {
		Luck.Draw draw = this.luck.draw(flight.request.index(), this.luckKey);
		double seconds = this.gpu.baseTtftSeconds()
				+ flight.request.promptTokens() / this.gpu.prefillTokensPerSecond() * Math.exp(this.gpu.jitter()
						* draw.ttftZ());
		return Math.max(1, Math.round(seconds * this.conditions.slowdown(now) * 1e9));
	}

	/** Tokens of decoding work the request needs, in units of one request's decode speed. */
	private double decodeWork(Flight flight, long now) {
		Luck.Draw draw = this.luck.draw(flight.request.index(), this.luckKey);
		return Math.max(0, flight.request.outputTokens() - 1) * Math.exp(this.gpu.jitter() * draw.tokenZ())
				* this.conditions.slowdown(now);
	}

	private void prefilled(Flight flight) {
		if (flight.cancelled) {
			return;
		}
		long now = this.events.now();
		advance(now);
		long ttft = now - flight.attemptStart;
		if (flight.sloClass.stream()) {
			this.outcomes.firstToken(flight, this, ttft, now);
		}
		double work = decodeWork(flight, now);
		if (work <= 0) {
			complete(new Decoding(this.progress, 0, flight, ttft), now);
		}
		else {
			this.decoding.add(new Decoding(this.progress + work, work, flight, ttft));
		}
		reschedule(now);
	}

	private void decoded(long generation) {
		if (generation != this.generation) {
			return; // superseded: the batch changed since this completion was scheduled
		}
		long now = this.events.now();
		advance(now);
		// Tolerance for rounding the completion time to whole nanoseconds.
		while (!this.decoding.isEmpty() && this.decoding.peek().finishAt <= this.progress + 1e-6) {
			complete(this.decoding.poll(), now);
		}
		reschedule(now);
	}

	private void complete(Decoding done, long now) {
		this.running--;
		this.kvTokens -= done.flight.tokens();
		finished();
		this.outcomes.succeeded(done.flight, this, done.ttftNanos, now);
		admitWaiting(now);
	}

	private void admitWaiting(long now) {
		while (this.running < this.gpu.maxBatch() && !this.waiting.isEmpty()) {
			admit(this.waiting.poll(), now);
		}
	}

	@Override
	Cancelled cancel(Flight attempt, long now) {
		if (this.waiting.remove(attempt)) {
			finished();
			return Cancelled.UNSERVED;
		}
		attempt.cancelled = true;
		finished();
		if (!attempt.inService) {
			return Cancelled.UNSERVED; // its error was on its way back
		}
		advance(now);
		double produced = 0;
		for (Decoding decoding : this.decoding) {
			if (decoding.flight == attempt) {
				this.decoding.remove(decoding);
				double done = decoding.work - Math.max(0, decoding.finishAt - this.progress);
				produced = 1 + Math.max(0, attempt.request.outputTokens() - 1) * done / decoding.work;
				break;
			}
		}
		// Otherwise it was still prefilling: its prefill event is void now.
		this.running--;
		this.kvTokens -= attempt.tokens();
		admitWaiting(now);
		reschedule(now);
		return new Cancelled(true, produced);
	}

	private void advance(long now) {
		if (now > this.progressAt) {
			this.progress += (now - this.progressAt) / 1e9 * this.gpu.decodeTokensPerSecond(this.running);
		}
		this.progressAt = now;
	}

	private void reschedule(long now) {
		long current = ++this.generation;
		Decoding next = this.decoding.peek();
		if (next == null) {
			return;
		}
		double seconds = Math.max(0, next.finishAt - this.progress) / this.gpu.decodeTokensPerSecond(this.running);
		this.events.at(now + (long) Math.ceil(seconds * 1e9), () -> decoded(current));
	}

	@Override
	Forecast forecast(Flight flight, long now) {
		// The oracle sees the batch but not the future: it counts on the GPU only when a slot is free now.
		Luck.Draw draw = this.luck.draw(flight.request.index(), this.luckKey);
		if (this.running >= this.gpu.maxBatch() || draw.failure() < this.conditions.errorRate(now)) {
			return Forecast.FAILS;
		}
		long ttft = prefillNanos(flight, now);
		double speed = this.gpu.decodeTokensPerSecond(this.running + 1);
		long e2e = ttft + Math.round(decodeWork(flight, now) / speed * 1e9);
		return new Forecast(Outcome.SUCCESS, ttft, e2e);
	}

	/** A request decoding until {@code progress} reaches {@code finishAt}, {@code work} after it started. */
	private record Decoding(double finishAt, double work, Flight flight, long ttftNanos)
			implements Comparable<Decoding> {

		@Override
		public int compareTo(Decoding other) {
			int order = Double.compare(this.finishAt, other.finishAt);
			return order != 0 ? order : Integer.compare(this.flight.request.index(), other.flight.request.index());
		}

	}

}
