package io.fulcrum.backend.server;

import java.time.Duration;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link LocalBackendServer} runs. {@link #defaults()} gives the values documented in
 * {@code docs/configuration.md}.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 * @param device where the encoder runs: {@code auto} uses a CUDA GPU when one works, else the CPU
 * @param cpuThreads worker threads of the CPU encoder
 * @param window most tokens per input, {@code [CLS]} and {@code [SEP]} included
 * @param windowPolicy what happens to longer inputs
 * @param batch the dynamic batcher's bounds
 * @param maxBodyBytes largest request body accepted
 * @param apiKey the key clients must send as a bearer token, or {@code null} for none (loopback use)
 */
public record BackendOptions(String host, int port, Device device, int cpuThreads, int window,
		WindowPolicy windowPolicy, BatchLimits batch, int maxBodyBytes, @Nullable String apiKey) {

	/**
	 * Loopback, port 8090, automatic device, one CPU thread per core, the 256-token window all-MiniLM-L6-v2 was
	 * tuned for (sentence-transformers' {@code max_seq_length}) with truncation, batches of at most 64 inputs or
	 * 8,192 tokens formed without added wait, 4,096 inputs queued (two requests of OpenAI's largest size), 16 MiB bodies.
	 */
	public static BackendOptions defaults() {
		return new BackendOptions("127.0.0.1", 8090, Device.AUTO, Runtime.getRuntime().availableProcessors(), 256,
				WindowPolicy.TRUNCATE, new BatchLimits(64, 8192, Duration.ZERO, 4096), 16 << 20, null);
	}

	public BackendOptions withPort(int port) {
		return new BackendOptions(this.host, port, this.device, this.cpuThreads, this.window, this.windowPolicy,
				this.batch, this.maxBodyBytes, this.apiKey);
	}

	public BackendOptions withDevice(Device device) {
		return new BackendOptions(this.host, this.port, device, this.cpuThreads, this.window, this.windowPolicy,
				this.batch, this.maxBodyBytes, this.apiKey);
	}

	public BackendOptions withCpuThreads(int cpuThreads) {
		return new BackendOptions(this.host, this.port, this.device, cpuThreads, this.window, this.windowPolicy,
				this.batch, this.maxBodyBytes, this.apiKey);
	}

	public BackendOptions withWindow(int window, WindowPolicy policy) {
		return new BackendOptions(this.host, this.port, this.device, this.cpuThreads, window, policy, this.batch,
				this.maxBodyBytes, this.apiKey);
	}

	public BackendOptions withBatch(BatchLimits batch) {
		return new BackendOptions(this.host, this.port, this.device, this.cpuThreads, this.window, this.windowPolicy,
				batch, this.maxBodyBytes, this.apiKey);
	}

	public BackendOptions withApiKey(@Nullable String apiKey) {
		return new BackendOptions(this.host, this.port, this.device, this.cpuThreads, this.window, this.windowPolicy,
				this.batch, this.maxBodyBytes, apiKey);
	}

}
