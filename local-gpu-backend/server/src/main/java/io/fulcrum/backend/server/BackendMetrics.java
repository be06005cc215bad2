package io.fulcrum.backend.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.fulcrum.backend.batching.BatchListener;
import io.fulcrum.backend.embedding.EmbeddingModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's Prometheus metrics: what a router needs to pick this backend (inputs running and waiting, under
 * vLLM's gauge names too, so any vLLM-aware router reads them), batch sizes, time in queue, request latency
 * histograms and device memory.
 */
final class BackendMetrics implements BatchListener {

	private static final Duration[] LATENCY_SLOS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
			Duration.ofSeconds(5) };

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final DistributionSummary batchInputs;

	private final DistributionSummary batchTokens;

	private final Timer queueTime;

	private final Timer batchTime;

	private final Timer requestTime;

	BackendMetrics() {
		this.batchInputs = DistributionSummary.builder("fulcrum.backend.batch.size")
			.description("Inputs per forward pass")
			.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
			.register(this.registry);
		this.batchTokens = DistributionSummary.builder("fulcrum.backend.batch.tokens")
			.description("Tokens per forward pass")
			.serviceLevelObjectives(16, 64, 256, 1024, 4096, 16384)
			.register(this.registry);
		this.queueTime = Timer.builder("fulcrum.backend.queue.time")
			.description("Time an input waits before its forward pass starts")
			.serviceLevelObjectives(LATENCY_SLOS)
			.register(this.registry);
		this.batchTime = Timer.builder("fulcrum.backend.batch.time")
			.description("Time of one forward pass")
			.serviceLevelObjectives(LATENCY_SLOS)
			.register(this.registry);
		this.requestTime = Timer.builder("fulcrum.backend.request.time")
			.description("End-to-end time of an embeddings request, from its body read to its answer")
			.serviceLevelObjectives(LATENCY_SLOS)
			.register(this.registry);
	}

	/** Gauges that read the model's live state. */
	void bind(EmbeddingModel model) {
		Gauge.builder("fulcrum.backend.inputs.running", model, EmbeddingModel::running)
			.description("Inputs in the forward pass running now")
			.register(this.registry);
		Gauge.builder("fulcrum.backend.inputs.waiting", model, EmbeddingModel::waiting)
			.description("Inputs queued for a forward pass")
			.register(this.registry);
		Gauge.builder("vllm:num_requests_running", model, EmbeddingModel::running)
			.tag("model_name", model.id())
			.description("Inputs in the forward pass running now (vLLM's name)")
			.register(this.registry);
		Gauge.builder("vllm:num_requests_waiting", model, EmbeddingModel::waiting)
			.tag("model_name", model.id())
			.description("Inputs queued for a forward pass (vLLM's name)")
			.register(this.registry);
		Gauge.builder("fulcrum.backend.device.memory", model, EmbeddingModel::deviceMemoryBytes)
			.description("Device memory the encoder holds (0 on the CPU)")
			.baseUnit("bytes")
			.register(this.registry);
	}

	@Override
	public void batchDone(int items, long cost, long[] queuedNanos, long runNanos) {
		this.batchInputs.record(items);
		this.batchTokens.record(cost);
		for (long q : queuedNanos) {
			this.queueTime.record(q, TimeUnit.NANOSECONDS);
		}
		this.batchTime.record(runNanos, TimeUnit.NANOSECONDS);
	}

	void requestDone(long nanos) {
		this.requestTime.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** The registry, for the generation engine's metrics to join. */
	MeterRegistry registry() {
		return this.registry;
	}

	/** The Prometheus text exposition. */
	String scrape() {
		return this.registry.scrape();
	}

}
