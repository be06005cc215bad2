package io.fulcrum.backend.server;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fulcrum.backend.generation.FinishReason;
import io.fulcrum.backend.generation.GenerationListener;
import io.fulcrum.backend.generation.GenerationUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The text-generation engine's metrics, under vLLM's names and with vLLM's meaning, labelled
 * {@code model_name}, so a router that reads vLLM (Fulcrum's gateway among them) reads this server too:
 * requests running and waiting, KV-cache use (a fraction), time to first token, time per output token (between
 * consecutive tokens of a request), end-to-end latency, prompt and generated tokens, preemptions, prefix-cache
 * queries and hits, and finished requests by reason. Updated on the engine thread: every method is a few
 * atomic operations.
 */
final class GenerationMetrics implements GenerationListener {

	private static final Duration[] TOKEN_SLOS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(60),
			Duration.ofMillis(80), Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(200),
			Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2) };

	private static final Duration[] REQUEST_SLOS = { Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
			Duration.ofSeconds(60), Duration.ofSeconds(120) };

	private volatile int running;

	private volatile int waiting;

	private volatile double cacheUsage;

	private final Timer firstToken;

	private final Timer perOutputToken;

	private final Timer endToEnd;

	private final Counter promptTokens;

	private final Counter generationTokens;

	private final Counter preemptions;

	private final Counter prefixQueries;

	private final Counter prefixHits;

	private final DistributionSummary stepTokens;

	private final Map<FinishReason, Counter> finished = new EnumMap<>(FinishReason.class);

	GenerationMetrics(MeterRegistry registry, String model) {
		Gauge.builder("vllm:num_requests_running", this, m -> m.running)
			.tag("model_name", model)
			.description("Requests in the running batch")
			.register(registry);
		Gauge.builder("vllm:num_requests_waiting", this, m -> m.waiting)
			.tag("model_name", model)
			.description("Requests waiting to be admitted")
			.register(registry);
		Gauge.builder("vllm:kv_cache_usage_perc", this, m -> m.cacheUsage)
			.tag("model_name", model)
			.description("Fraction of KV-cache blocks in use (1 = full)")
			.register(registry);
		Gauge.builder("vllm:gpu_cache_usage_perc", this, m -> m.cacheUsage)
			.tag("model_name", model)
			.description("Fraction of KV-cache blocks in use (vLLM's former name)")
			.register(registry);
		this.firstToken = timer(registry, "vllm:time_to_first_token", "Time from submission to the first token",
				model, TOKEN_SLOS);
		this.perOutputToken = timer(registry, "vllm:time_per_output_token",
				"Time between consecutive output tokens of a request", model, TOKEN_SLOS);
		this.endToEnd = timer(registry, "vllm:e2e_request_latency", "Time from submission to the last token", model,
				REQUEST_SLOS);
		this.promptTokens = counter(registry, "vllm:prompt_tokens", "Prompt tokens processed", model);
		this.generationTokens = counter(registry, "vllm:generation_tokens", "Tokens generated", model);
		this.preemptions = counter(registry, "vllm:num_preemptions",
				"Running requests preempted (cache blocks taken back, recomputed later)", model);
		this.prefixQueries = counter(registry, "vllm:prefix_cache_queries", "Prompt tokens looked up in the prefix cache",
				model);
		this.prefixHits = counter(registry, "vllm:prefix_cache_hits", "Prompt tokens found in the prefix cache", model);
		this.stepTokens = DistributionSummary.builder("fulcrum.backend.generation.step.tokens")
			.tag("model_name", model)
			.description("Tokens computed per engine step (decode and prefill together)")
			.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
			.register(registry);
		for (FinishReason reason : FinishReason.values()) {
			this.finished.put(reason, Counter.builder("vllm:request_success")
				.tag("model_name", model)
				.tag("finished_reason", reason.wireName())
				.description("Requests finished, by reason")
				.register(registry));
		}
	}

	private static Timer timer(MeterRegistry registry, String name, String description, String model,
			Duration[] slos) {
		return Timer.builder(name).tag("model_name", model).description(description).serviceLevelObjectives(slos)
			.register(registry);
	}

	private static Counter counter(MeterRegistry registry, String name, String description, String model) {
		return Counter.builder(name).tag("model_name", model).description(description).register(registry);
	}

	@Override
	public void step(int sequences, int tokens, long nanos) {
		this.stepTokens.record(tokens);
	}

	@Override
	public void load(int running, int waiting, double cacheUsage) {
		this.running = running;
		this.waiting = waiting;
		this.cacheUsage = cacheUsage;
	}

	@Override
	public void firstToken(long nanos) {
		this.firstToken.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void nextToken(long nanos) {
		this.perOutputToken.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void finished(FinishReason reason, GenerationUsage usage, long nanos) {
		this.endToEnd.record(nanos, TimeUnit.NANOSECONDS);
		this.promptTokens.increment(usage.promptTokens());
		this.generationTokens.increment(usage.completionTokens());
		this.finished.get(reason).increment();
	}

	@Override
	public void preempted() {
		this.preemptions.increment();
	}

	@Override
	public void admitted(int promptTokens, int cachedTokens) {
		this.prefixQueries.increment(promptTokens);
		this.prefixHits.increment(cachedTokens);
	}

}
