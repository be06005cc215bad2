package io.fulcrum.backend.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.generation.EngineLimits;
import io.fulcrum.backend.generation.FinishReason;
import io.fulcrum.backend.generation.GenerationEngine;
import io.fulcrum.backend.generation.GenerationListener;
import io.fulcrum.backend.generation.GenerationRequest;
import io.fulcrum.backend.generation.GenerationUsage;
import io.fulcrum.backend.generation.SamplingParams;
import io.fulcrum.backend.generation.TokenSink;
import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecoderSelection;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.SyntheticLlama;

/**
 * Decode speed of the generation engine on synthetic models in real shapes ({@link SyntheticLlama}), through the
 * engine's scheduler and the model, without HTTP:
 * <ul>
 * <li>batch-1 decode tokens/s, and that as a fraction of the memory-bandwidth bound (weight bytes one decode step
 * reads as the model holds them, over the copy bandwidth measured on the same device);</li>
 * <li>decode throughput at larger batches: {@code B} sequences decoding together, tokens per second over pure decode
 * steps (steps that compute exactly one token for each of the {@code B} sequences);</li>
 * <li>time to first token of a {@code --prompt}-token prompt at batch 1.</li>
 * </ul>
 * Usage: {@code GenerationBenchmark [--device=cpu|cuda|auto] [--shapes=15M,110M] [--type=F32|F16|Q8_0]
 * [--batches=1,8,32,64,128] [--prompt=128] [--tokens=32] [--threads=N] [--dir=DIR] [--bandwidth-gbs=X]}. Prints a
 * Markdown table.
 */
public final class GenerationBenchmark {

	private GenerationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> o = new LinkedHashMap<>();
		for (String arg : args) {
			o.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		Device device = Device.fromConfig(o.getOrDefault("device", "cpu"));
		GgmlType type = GgmlType.valueOf(o.getOrDefault("type", "F32").toUpperCase(Locale.ROOT));
		int prompt = Integer.parseInt(o.getOrDefault("prompt", "128"));
		int tokens = Integer.parseInt(o.getOrDefault("tokens", "32"));
		int threads = Integer.parseInt(o.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
		Path dir = Path.of(o.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/fulcrum-synthetic"));
		Files.createDirectories(dir);
		double bandwidth = o.containsKey("bandwidth-gbs") ? Double.parseDouble(o.get("bandwidth-gbs")) * 1e9
				: device == Device.CPU ? MemoryBandwidth.cpuCopyBytesPerSecond(threads) : Double.NaN;
		System.out.printf(Locale.ROOT, "copy bandwidth: %.1f GB/s (bytes read + written per second)%n", bandwidth / 1e9);
		System.out.println("| model | type | weights read per token | batch | decode tok/s | ms/step | fraction of bandwidth bound | TTFT (" + prompt + "-token prompt) |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		for (String name : o.getOrDefault("shapes", "15M,110M").split(",")) {
			SyntheticLlama.Shape shape = SyntheticLlama.preset(name.trim());
			Path file = dir.resolve("synthetic-" + shape.name() + "-" + type + ".gguf");
			if (!Files.exists(file)) {
				SyntheticLlama.write(shape, type, file, 42);
			}
			GgufFile gguf = GgufFile.open(file);
			for (String b : o.getOrDefault("batches", "1,8,32,64,128").split(",")) {
				int batch = Integer.parseInt(b.trim());
				Result r = run(gguf, device, threads, batch, prompt, tokens);
				double tokensPerSecond = batch / r.secondsPerDecodeStep;
				long weightBytes = r.weightBytes;
				double bound = bandwidth / weightBytes;
				System.out.printf(Locale.ROOT, "| %s | %s | %.1f MB | %d | %.1f | %.2f | %s | %s |%n", shape.name(), type,
						weightBytes / 1e6, batch, tokensPerSecond, r.secondsPerDecodeStep * 1e3,
						batch == 1 && !Double.isNaN(bound) ? String.format(Locale.ROOT, "%.0f%% (bound %.1f tok/s)",
								100 * tokensPerSecond / bound, bound) : "",
						batch == 1 ? String.format(Locale.ROOT, "%.1f ms", r.firstTokenSeconds * 1e3) : "");
			}
		}
	}

	private record Result(double secondsPerDecodeStep, double firstTokenSeconds, long weightBytes) {
	}

	private static Result run(GgufFile gguf, Device device, int threads, int batch, int prompt, int tokens)
			throws InterruptedException {
		AtomicLong decodeNanos = new AtomicLong();
		AtomicLong decodeSteps = new AtomicLong();
		AtomicLong firstToken = new AtomicLong();
		GenerationListener listener = new GenerationListener() {
			@Override
			public void step(int sequences, int stepTokens, long nanos) {
				if (sequences == batch && stepTokens == batch) {
					decodeNanos.addAndGet(nanos);
					decodeSteps.incrementAndGet();
				}
			}

			@Override
			public void firstToken(long nanos) {
				firstToken.compareAndSet(0, nanos);
			}
		};
		int blockSize = 16;
		int warmUpTokens = 48;
		int perSequence = (prompt + Math.max(tokens, warmUpTokens) + blockSize - 1) / blockSize;
		KvCacheShape cache = new KvCacheShape(batch * perSequence + 1, blockSize);
		EngineLimits limits = new EngineLimits(batch, Math.max(batch, 2048), batch, false);
		try (GenerationEngine engine = new GenerationEngine("bench", limits,
				() -> DecoderSelection.load(device, gguf, cache, threads), t -> false, listener)) {
			// Warm up (JIT, device caches), then measure.
			generate(engine, 1, prompt, warmUpTokens);
			decodeNanos.set(0);
			decodeSteps.set(0);
			firstToken.set(0);
			generate(engine, 1, prompt, 1);
			long ttft = firstToken.get();
			decodeNanos.set(0);
			decodeSteps.set(0);
			generate(engine, batch, prompt, tokens);
			return new Result(decodeNanos.get() / 1e9 / Math.max(1, decodeSteps.get()), ttft / 1e9,
					engine.weightBytesPerToken());
		}
	}

	private static void generate(GenerationEngine engine, int requests, int prompt, int tokens)
			throws InterruptedException {
		CountDownLatch done = new CountDownLatch(requests);
		List<int[]> prompts = new ArrayList<>();
		for (int r = 0; r < requests; r++) {
			int[] p = new int[prompt];
			for (int i = 0; i < prompt; i++) {
				p[i] = 1 + (r * 7919 + i * 104729) % (engine.config().vocabSize() - 1);
			}
			prompts.add(p);
		}
		for (int[] p : prompts) {
			engine.submit(new GenerationRequest(p, new SamplingParams(0, 1, 0, null, tokens, true)), new TokenSink() {
				@Override
				public boolean onToken(int token) {
					return false;
				}

				@Override
				public void onFinish(FinishReason reason, GenerationUsage usage) {
					done.countDown();
				}

				@Override
				public void onError(RuntimeException error, GenerationUsage usage) {
					error.printStackTrace();
					done.countDown();
				}
			});
		}
		if (!done.await(30, TimeUnit.MINUTES)) {
			throw new IllegalStateException("the benchmark did not finish");
		}
	}

}
