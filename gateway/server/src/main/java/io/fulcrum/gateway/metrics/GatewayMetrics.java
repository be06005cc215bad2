package io.fulcrum.gateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records what the gateway did. Meters are looked up once per tag combination and cached, since the request path
 * calls these methods several times per request.
 */
public final class GatewayMetrics {

	static final String TAG_MODEL = "gen_ai.request.model";

	static final String TAG_DEPLOYMENT = "fulcrum.deployment";

	static final String TAG_OUTCOME = "outcome";

	private static final Duration[] LATENCY_SLOS = { Duration.ofMillis(5), Duration.ofMillis(25),
			Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
			Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofSeconds(60) };

	private final MeterRegistry registry;

	private final Map<AttemptKey, AttemptMeters> attempts = new ConcurrentHashMap<>();

	private final Map<String, Counter> errors = new ConcurrentHashMap<>();

	private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

	private final Map<String, Counter> hedges = new ConcurrentHashMap<>();

	public GatewayMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** One provider attempt ended. */
	public void attempt(String model, String deployment, String outcome, long durationNanos, long ttftNanos,
			long inputTokens, long outputTokens) {
		AttemptMeters meters = this.attempts.computeIfAbsent(new AttemptKey(model, deployment, outcome),
				this::attemptMeters);
		meters.requests.increment();
		meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
		if (ttftNanos >= 0) {
			meters.ttft.record(ttftNanos, TimeUnit.NANOSECONDS);
		}
		if (inputTokens > 0) {
			meters.inputTokens.increment(inputTokens);
		}
		if (outputTokens > 0) {
			meters.outputTokens.increment(outputTokens);
		}
	}

	/** The dispatcher moved from {@code deployment} to the next candidate. */
	public void fallback(String model, String deployment) {
		this.fallbacks.computeIfAbsent(model + '\0' + deployment,
				k -> Counter.builder("fulcrum.fallbacks")
					.description("Fallbacks from a deployment to the next candidate")
					.tag(TAG_MODEL, model)
					.tag(TAG_DEPLOYMENT, deployment)
					.register(this.registry))
			.increment();
	}

	/**
	 * A hedge was sent to {@code deployment}, or won its race ({@code outcome} {@code sent} or {@code won}): the
	 * share won says whether hedging pays for the prompts the cancelled attempts cost.
	 */
	public void hedge(String model, String deployment, String outcome) {
		this.hedges.computeIfAbsent(model + '\0' + deployment + '\0' + outcome,
				k -> Counter.builder("fulcrum.hedges")
					.description("Hedged attempts sent, and those that answered first")
					.tag(TAG_MODEL, model)
					.tag(TAG_DEPLOYMENT, deployment)
					.tag("outcome", outcome)
					.register(this.registry))
			.increment();
	}

	/** The gateway answered with an error. */
	public void error(int status, String type) {
		this.errors.computeIfAbsent(status + type,
				k -> Counter.builder("fulcrum.errors")
					.description("Error responses by status and type")
					.tag("status", Integer.toString(status))
					.tag("error.type", type)
					.register(this.registry))
			.increment();
	}

	private AttemptMeters attemptMeters(AttemptKey key) {
		Counter requests = Counter.builder("fulcrum.requests")
			.description("Provider attempts by model alias, deployment and outcome")
			.tag(TAG_MODEL, key.model)
			.tag(TAG_DEPLOYMENT, key.deployment)
			.tag(TAG_OUTCOME, key.outcome)
			.register(this.registry);
		Timer duration = Timer.builder("gen_ai.server.request.duration")
			.description("Time from dispatch to the end of the response")
			.tag(TAG_MODEL, key.model)
			.tag(TAG_DEPLOYMENT, key.deployment)
			.tag(TAG_OUTCOME, key.outcome)
			.serviceLevelObjectives(LATENCY_SLOS)
			.register(this.registry);
		Timer ttft = Timer.builder("gen_ai.server.time_to_first_token")
			.description("Time from dispatch to the first output token")
			.tag(TAG_MODEL, key.model)
			.tag(TAG_DEPLOYMENT, key.deployment)
			.serviceLevelObjectives(LATENCY_SLOS)
			.register(this.registry);
		Counter input = tokens(key, "input");
		Counter output = tokens(key, "output");
		return new AttemptMeters(requests, duration, ttft, input, output);
	}

	private Counter tokens(AttemptKey key, String type) {
		return Counter.builder("gen_ai.client.token.usage")
			.description("Tokens consumed")
			.baseUnit("tokens")
			.tag(TAG_MODEL, key.model)
			.tag(TAG_DEPLOYMENT, key.deployment)
			.tag("gen_ai.token.type", type)
			.register(this.registry);
	}

	private record AttemptKey(String model, String deployment, String outcome) {
	}

	private record AttemptMeters(Counter requests, Timer duration, Timer ttft, Counter inputTokens,
			Counter outputTokens) {
	}

}
