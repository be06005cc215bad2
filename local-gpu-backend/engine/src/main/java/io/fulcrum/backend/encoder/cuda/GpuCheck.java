package io.fulcrum.backend.encoder.cuda;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.encoder.cpu.CpuBertEncoder;

/**
 * The GPU check for a machine with a CUDA device and nothing to build: compares the CUDA encoder with the CPU
 * encoder on the same weights, then measures throughput, latency and the copy bandwidth, and prints a short table
 * last. Run by {@code local-gpu-backend/gpu/run-gpu-checks.sh}; the bundle comes from {@link GpuCheckBundle}.
 *
 * <p>Usage: {@code GpuCheck BUNDLE_DIR OUT_DIR}. Exit status 0 when every embedding is within
 * {@value #LIMIT} relative error of the CPU's, 1 when one is not (or a result is not finite, or repeating a
 * batch changes it), 2 when the check breaks (a CUDA error, say), 3 when CUDA is unusable here (no driver, no
 * device): then only the weights and the CPU encoder were exercised.
 *
 * <p>Errors: per embedding, {@code max|g - c| / max|c|} (the acceptance measure); per element,
 * {@code |g - c| / max(|c|, 1e-3)} (reported only: the floor keeps near-zero components from dominating).
 */
public final class GpuCheck {

	static final double LIMIT = 1e-4;

	private static final double ELEMENT_FLOOR = 1e-3;

	private final PrintStream out;

	private final List<String> summary = new ArrayList<>();

	private double worstEmbedding;

	private double worstElement;

	private double minCosine = 1;

	private int compared;

	private boolean failed;

	private GpuCheck(PrintStream out) {
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: GpuCheck BUNDLE_DIR OUT_DIR");
			System.exit(2);
		}
		Path bundle = Path.of(args[0]);
		Path outDir = Files.createDirectories(Path.of(args[1]));
		int status;
		try (OutputStream log = Files.newOutputStream(outDir.resolve("gpu-check.log"));
				PrintStream tee = new PrintStream(new Tee(System.out, log), true, StandardCharsets.UTF_8)) {
			GpuCheck check = new GpuCheck(tee);
			try {
				status = check.run(bundle);
			}
			catch (Throwable ex) {
				tee.println("GPU CHECK BROKE: " + ex);
				ex.printStackTrace(tee);
				status = 2;
			}
			Files.write(outDir.resolve("summary.txt"), check.summary);
		}
		System.exit(status);
	}

	private int run(Path bundle) throws IOException {
		long t0 = System.nanoTime();
		BertWeights weights = CompactWeights.read(bundle.resolve(GpuCheckBundle.WEIGHTS));
		log("weights: %s, %.1f MB fp32 (read in %.1f s from %s)", weights.config(), weights.parameterBytes() / 1e6,
				(System.nanoTime() - t0) / 1e9, bundle.resolve(GpuCheckBundle.WEIGHTS));
		CudaAvailability cuda = CudaRuntimeProbe.probe();
		log("CUDA: %s", cuda.isAvailable() ? cuda.deviceName() + " (" + cuda.detail() + ")" : cuda.detail());
		int threads = Runtime.getRuntime().availableProcessors();
		try (CpuBertEncoder cpu = new CpuBertEncoder(weights, threads)) {
			float[] sanity = cpu.encode(List.of(new int[] { 101, 7592, 2088, 102 }))[0];
			log("CPU encoder: %s, |embedding| of [CLS] hello world [SEP] = %.6f", cpu.device(), norm(sanity));
			if (!cuda.isAvailable()) {
				log("CUDA is unusable here: nothing to check.");
				this.summary.add("CUDA unusable: " + cuda.detail());
				return 3;
			}
			t0 = System.nanoTime();
			try (CudaBertEncoder gpu = new CudaBertEncoder(weights)) {
				log("CUDA encoder: %s, %.1f MB on the device, ready in %.2f s (PTX JIT, uploads)", gpu.device(),
						gpu.deviceMemoryBytes() / 1e6, (System.nanoTime() - t0) / 1e9);
				compare(cpu, gpu, bundle);
				this.summary.add(String.format(Locale.ROOT, "%-34s %s", "device", gpu.device()));
				this.summary.add(String.format(Locale.ROOT, "%-34s %d embeddings in %s",
						"compared with the CPU", this.compared, "batches of 1..64, 2..512 tokens"));
				this.summary.add(String.format(Locale.ROOT, "%-34s %.2e (limit %.0e) %s", "max rel err per embedding",
						this.worstEmbedding, LIMIT, this.failed ? "FAIL" : "PASS"));
				this.summary.add(String.format(Locale.ROOT, "%-34s %.2e", "max rel err per element (floor 1e-3)",
						this.worstElement));
				this.summary.add(String.format(Locale.ROOT, "%-34s %.9f", "min cosine GPU vs CPU", this.minCosine));
				benchmark(gpu);
				bandwidth(gpu, weights);
				log("device memory at the end: %.1f MB", gpu.deviceMemoryBytes() / 1e6);
			}
		}
		this.out.println();
		this.out.println("=== summary ===");
		this.summary.forEach(this.out::println);
		return this.failed ? 1 : 0;
	}

	// ---- correctness

	private void compare(CpuBertEncoder cpu, CudaBertEncoder gpu, Path bundle) throws IOException {
		Random random = new Random(20261128);
		for (int length : new int[] { 2, 3, 16, 31, 64, 65, 128, 256, 512 }) {
			check("batch 1, " + length + " tokens", cpu, gpu, List.of(randomIds(random, length)));
		}
		for (int size : new int[] { 2, 8, 17, 32, 64 }) {
			List<int[]> batch = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				batch.add(randomIds(random, 2 + random.nextInt(255)));
			}
			check("batch " + size + ", mixed 2..256 tokens", cpu, gpu, batch);
		}
		Path text = bundle.resolve(GpuCheckBundle.TEXT_IDS);
		if (Files.exists(text)) {
			List<int[]> batch = Files.readAllLines(text)
				.stream()
				.filter(l -> !l.isBlank())
				.map(l -> Arrays.stream(l.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray())
				.toList();
			check("real text, batch " + batch.size(), cpu, gpu, batch);
		}
		// The same batch twice: the kernels use no atomics, so a difference means a race.
		List<int[]> batch = List.of(randomIds(random, 100), randomIds(random, 7), randomIds(random, 300));
		float[][] first = gpu.encode(batch);
		float[][] second = gpu.encode(batch);
		boolean same = Arrays.deepEquals(first, second);
		log("repeat of a batch gives identical embeddings: %s", same ? "yes" : "NO");
		this.summary.add(String.format(Locale.ROOT, "%-34s %s", "repeatable (bitwise)", same ? "PASS" : "FAIL"));
		this.failed |= !same;
	}

	private void check(String what, CpuBertEncoder cpu, CudaBertEncoder gpu, List<int[]> batch) {
		float[][] c = cpu.encode(batch);
		float[][] g = gpu.encode(batch);
		double worst = 0;
		double worstElementHere = 0;
		for (int i = 0; i < batch.size(); i++) {
			double maxDiff = 0;
			double maxRef = 0;
			double dot = 0;
			boolean finite = true;
			for (int j = 0; j < c[i].length; j++) {
				double d = Math.abs(g[i][j] - (double) c[i][j]);
				finite &= Float.isFinite(g[i][j]);
				maxDiff = Math.max(maxDiff, d);
				maxRef = Math.max(maxRef, Math.abs(c[i][j]));
				worstElementHere = Math.max(worstElementHere, d / Math.max(Math.abs(c[i][j]), ELEMENT_FLOOR));
				dot += (double) g[i][j] * c[i][j];
			}
			double rel = finite ? maxDiff / maxRef : Double.POSITIVE_INFINITY;
			worst = Math.max(worst, rel);
			this.minCosine = Math.min(this.minCosine, finite ? dot / (norm(g[i]) * norm(c[i])) : -1);
			this.compared++;
		}
		this.worstEmbedding = Math.max(this.worstEmbedding, worst);
		this.worstElement = Math.max(this.worstElement, worstElementHere);
		boolean ok = worst <= LIMIT;
		this.failed |= !ok;
		int tokens = batch.stream().mapToInt(s -> s.length).sum();
		log("%-36s %5d tokens  max rel err %.2e per embedding, %.2e per element  %s", what, tokens, worst,
				worstElementHere, ok ? "ok" : "FAIL");
	}

	private static int[] randomIds(Random random, int length) {
		int[] ids = new int[length];
		for (int i = 0; i < length; i++) {
			ids[i] = 1000 + random.nextInt(29000);
		}
		return ids;
	}

	// ---- speed

	private void benchmark(CudaBertEncoder gpu) {
		Random random = new Random(5);
		this.summary.add("");
		this.summary.add(String.format(Locale.ROOT, "%6s %7s %12s %10s %10s", "batch", "tokens", "emb/s", "p50 ms",
				"p99 ms"));
		for (int length : new int[] { 16, 128 }) {
			for (int size : new int[] { 1, 8, 32, 64, 128 }) {
				List<int[]> batch = new ArrayList<>();
				for (int i = 0; i < size; i++) {
					batch.add(randomIds(random, length));
				}
				for (int i = 0; i < 5; i++) {
					gpu.encode(batch); // warm-up: buffers grown, kernels JIT-compiled and cached
				}
				List<Long> times = new ArrayList<>();
				long start = System.nanoTime();
				while (times.size() < 2000 && (times.size() < 20 || System.nanoTime() - start < 1_500_000_000L)) {
					long t = System.nanoTime();
					gpu.encode(batch);
					times.add(System.nanoTime() - t);
				}
				long total = System.nanoTime() - start;
				long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
				double perSecond = (double) size * sorted.length / (total / 1e9);
				double p50 = sorted[(int) (0.50 * (sorted.length - 1))] / 1e6;
				double p99 = sorted[(int) Math.ceil(0.99 * (sorted.length - 1))] / 1e6;
				String row = String.format(Locale.ROOT, "%6d %7d %12.0f %10.3f %10.3f", size, length, perSecond, p50,
						p99);
				log("benchmark %s  (%d runs)", row, sorted.length);
				this.summary.add(row);
			}
		}
	}

	private void bandwidth(CudaBertEncoder gpu, BertWeights weights) {
		double moved = CopyBandwidth.measure();
		long params = weights.parameterBytes();
		long gathered = params - 4L * weights.wordEmbeddings().size();
		this.summary.add("");
		this.summary.add(String.format(Locale.ROOT, "%-34s %.2f TB/s (read + written, 1 GiB cuMemcpyDtoD x %d)",
				"copy bandwidth", moved / 1e12, CopyBandwidth.COPIES));
		this.summary.add(String.format(Locale.ROOT, "%-34s %.1f us (parameterBytes %.1f MB / that bandwidth)",
				"bandwidth bound per forward", params / moved * 1e6, params / 1e6));
		this.summary.add(String.format(Locale.ROOT, "%-34s %.1f us (%.1f MB: word table only gathered)",
				"  without the word-embedding table", gathered / moved * 1e6, gathered / 1e6));
		log("copy bandwidth %.2f TB/s; bound %.1f us per forward pass", moved / 1e12, params / moved * 1e6);
		log("device memory held by the encoder: %.1f MB", gpu.deviceMemoryBytes() / 1e6);
	}

	// ---- helpers

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) {
			s += (double) x * x;
		}
		return Math.sqrt(s);
	}

	private void log(String format, Object... args) {
		this.out.println(String.format(Locale.ROOT, format, args));
	}

}
