package io.fulcrum.backend.generation;

import java.nio.file.Path;

import io.fulcrum.backend.encoder.Device;

/**
 * How to serve a generative model.
 *
 * @param gguf the model file
 * @param id the model's name in the API
 * @param device where the decoder runs: {@code auto} uses a CUDA GPU when one works, else the CPU
 * @param cpuThreads worker threads of the CPU decoder
 * @param blockSize tokens per KV-cache block
 * @param cacheBytes memory for the KV cache; fewer blocks are allocated when {@code limits.maxRunning()} full-length
 * sequences need less
 * @param limits the engine's bounds
 */
public record GeneratorOptions(Path gguf, String id, Device device, int cpuThreads, int blockSize, long cacheBytes,
		EngineLimits limits) {

	public GeneratorOptions {
		if (blockSize < 1 || cacheBytes < 1 || cpuThreads < 1) {
			throw new IllegalArgumentException("block size, cache bytes and CPU threads must be positive");
		}
	}

	/**
	 * The model at {@code gguf}, named after its file (without {@code .gguf}), on the best device, blocks of 16
	 * tokens, 1 GiB of cache and {@link EngineLimits#defaults()}.
	 */
	public static GeneratorOptions of(Path gguf) {
		String name = gguf.getFileName().toString();
		return new GeneratorOptions(gguf, name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name,
				Device.AUTO, Runtime.getRuntime().availableProcessors(), 16, 1L << 30, EngineLimits.defaults());
	}

	public GeneratorOptions withId(String modelId) {
		return new GeneratorOptions(this.gguf, modelId, this.device, this.cpuThreads, this.blockSize, this.cacheBytes,
				this.limits);
	}

	public GeneratorOptions withDevice(Device onDevice) {
		return new GeneratorOptions(this.gguf, this.id, onDevice, this.cpuThreads, this.blockSize, this.cacheBytes,
				this.limits);
	}

	public GeneratorOptions withCpuThreads(int threads) {
		return new GeneratorOptions(this.gguf, this.id, this.device, threads, this.blockSize, this.cacheBytes,
				this.limits);
	}

	public GeneratorOptions withCache(int tokensPerBlock, long bytes) {
		return new GeneratorOptions(this.gguf, this.id, this.device, this.cpuThreads, tokensPerBlock, bytes,
				this.limits);
	}

	public GeneratorOptions withLimits(EngineLimits engineLimits) {
		return new GeneratorOptions(this.gguf, this.id, this.device, this.cpuThreads, this.blockSize, this.cacheBytes,
				engineLimits);
	}

}
