package io.fulcrum.backend.llama.cuda;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.fulcrum.backend.encoder.cuda.CopyBandwidth;
import io.fulcrum.backend.encoder.cuda.CudaAvailability;
import io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe;
import io.fulcrum.backend.encoder.cuda.Tee;
import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.DecoderModel;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.Llama2cReference;
import io.fulcrum.backend.llama.StepLogits;
import io.fulcrum.backend.llama.SyntheticLlama;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import org.jspecify.annotations.Nullable;

/**
 * The GPU check of the CUDA decoder, for a machine with a CUDA device and nothing to build (run by
 * {@code local-gpu-backend/gpu/run-gpu-checks.sh} after the encoder's {@code GpuCheck}):
 * <ol>
 * <li>greedy generation from BOS for 256 positions with stories260K on the CPU and on CUDA: the tokens must be the
 * same, and (when the reference text is given) both must decode to it; every step's logits are compared;</li>
 * <li>batched steps (prompt chunks and decode tokens of several sequences together, block tables shuffled) on
 * stories260K and on small synthetic F16 (Qwen2-style) and Q8_0 models: logits against the CPU model's;</li>
 * <li>the same step twice gives bitwise-identical logits; greedy generation and the batched steps again with
 * decode steps replayed as CUDA graphs;</li>
 * <li>a short benchmark: the copy bandwidth, stories260K batch-1 decode, and decode throughput at batch 1 to 128
 * of synthetic models shaped like stories15M (F32), stories110M (Q8_0) and Qwen2-0.5B (F16), written here with
 * {@link SyntheticLlama}, launching kernel by kernel and replaying CUDA graphs of decode steps.</li>
 * </ol>
 * Logits are compared by {@code max|g - c| / max|c|} per sequence and step; the limit is {@value #LIMIT}.
 *
 * <p>Usage: {@code LlamaGpuCheck MODEL.gguf OUT_DIR [REFERENCE.txt]}. Writes {@code llama-gpu-check.log} and
 * {@code llama-summary.txt} to OUT_DIR. Exit status 0 when everything matches, 1 when a comparison fails, 2 when the
 * check breaks (a CUDA error, say), 3 when CUDA is unusable here: then only the CPU model ran (and its text was
 * checked).
 */
public final class LlamaGpuCheck {

	static final double LIMIT = 1e-4;

	private static final int BOS = 1;

	private static final int GREEDY_STEPS = 256;

	private static final int BLOCK = 16;

	private final PrintStream out;

	private final List<String> summary = new ArrayList<>();

	private double worst;

	private boolean failed;

	private LlamaGpuCheck(PrintStream out) {
		this.out = out;
	}

	public static void main(String[] args) {
		if (args.length < 2 || args.length > 3) {
			System.err.println("usage: LlamaGpuCheck MODEL.gguf OUT_DIR [REFERENCE.txt]");
			System.exit(2);
		}
		int status;
		try {
			Path outDir = Files.createDirectories(Path.of(args[1]));
			try (OutputStream log = Files.newOutputStream(outDir.resolve("llama-gpu-check.log"));
					PrintStream tee = new PrintStream(new Tee(System.out, log), true, StandardCharsets.UTF_8)) {
				LlamaGpuCheck check = new LlamaGpuCheck(tee);
				try {
					status = check.run(Path.of(args[0]), args.length == 3 ? Path.of(args[2]) : null);
				}
				catch (Throwable ex) {
					tee.println("LLAMA GPU CHECK BROKE: " + ex);
					ex.printStackTrace(tee);
					status = 2;
				}
				Files.write(outDir.resolve("llama-summary.txt"), check.summary);
			}
		}
		catch (IOException ex) {
			System.err.println("cannot write the logs: " + ex);
			status = 2;
		}
		System.exit(status);
	}

	private int run(Path modelPath, @Nullable Path referencePath) throws IOException {
		GgufFile file = GgufFile.open(modelPath);
		List<String> vocab = file.strings("tokenizer.ggml.tokens");
		log("model: %s (%d bytes)", modelPath, Files.size(modelPath));
		@Nullable String reference = referencePath == null ? null
				: Files.readString(referencePath, StandardCharsets.UTF_8).strip();
		CudaAvailability cuda = CudaRuntimeProbe.probe();
		log("CUDA: %s", cuda.isAvailable() ? cuda.deviceName() + " (" + cuda.detail() + ")" : cuda.detail());
		int threads = Runtime.getRuntime().availableProcessors();
		KvCacheShape cache = new KvCacheShape(64, BLOCK);
		try (CpuLlamaModel cpu = CpuLlamaModel.load(file, cache, threads)) {
			log("config: %s", cpu.config());
			List<Integer> cpuTokens = greedy(cpu);
			String cpuText = decode(vocab, cpuTokens);
			if (reference != null) {
				boolean same = cpuText.equals(reference);
				log("CPU greedy text %s the reference (%d tokens)", same ? "equals" : "DIFFERS FROM", cpuTokens.size());
				this.summary.add(row("CPU greedy text = reference", same ? "PASS" : "FAIL"));
				this.failed |= !same;
			}
			if (!cuda.isAvailable()) {
				log("CUDA is unusable here: only the CPU model ran.");
				this.summary.add("CUDA unusable: " + cuda.detail());
				return 3;
			}
			long t0 = System.nanoTime();
			try (CudaLlamaModel gpu = CudaLlamaModel.load(file, cache)) {
				log("CUDA model: %s, %.1f MB on the device, ready in %.2f s", gpu.device(), gpu.deviceMemoryBytes() / 1e6,
						(System.nanoTime() - t0) / 1e9);
				this.summary.add(row("device", gpu.device()));
				greedyComparison(cpu, gpu, cpuTokens, vocab, reference);
				batchComparison("stories260K", cpu, gpu, new Random(1));
				repeatability(gpu);
			}
			try (CudaLlamaModel graphs = new CudaLlamaModel(file, cache, 0, true)) {
				List<Integer> tokens = greedy(graphs);
				boolean same = tokens.equals(cpuTokens);
				log("greedy with decode graphs (%d captured): tokens %s the CPU's", graphs.graphCaptures(),
						same ? "equal" : "DIFFER FROM");
				this.summary.add(row("greedy tokens CUDA graphs = CPU", same ? "PASS" : "FAIL"));
				this.failed |= !same;
				batchComparison("stories260K with decode graphs", cpu, graphs, new Random(1));
			}
		}
		// Synthetic models (up to 1 GB) go to a scratch folder, not OUT_DIR, whose files travel back.
		Path scratch = Files.createTempDirectory("llama-gpu-check");
		try {
			syntheticComparisons(scratch);
			this.summary.add(row("max rel err of logits vs CPU", String.format(Locale.ROOT, "%.2e (limit %.0e) %s",
					this.worst, LIMIT, this.worst <= LIMIT ? "PASS" : "FAIL")));
			benchmark(file, scratch);
		}
		finally {
			try (var files = Files.list(scratch)) {
				for (Path f : files.toList()) {
					Files.deleteIfExists(f);
				}
			}
			Files.deleteIfExists(scratch);
		}
		this.out.println();
		this.out.println("=== llama summary ===");
		this.summary.forEach(this.out::println);
		return this.failed ? 1 : 0;
	}

	// ---- correctness

	private void greedyComparison(CpuLlamaModel cpu, CudaLlamaModel gpu, List<Integer> cpuTokens, List<String> vocab,
			@Nullable String reference) {
		List<Integer> gpuTokens = greedy(gpu);
		boolean sameTokens = gpuTokens.equals(cpuTokens);
		int firstDiff = 0;
		while (firstDiff < Math.min(gpuTokens.size(), cpuTokens.size())
				&& gpuTokens.get(firstDiff).equals(cpuTokens.get(firstDiff))) {
			firstDiff++;
		}
		log("greedy %d steps: CUDA tokens %s the CPU's%s", GREEDY_STEPS, sameTokens ? "equal" : "DIFFER FROM",
				sameTokens ? "" : " from step " + firstDiff);
		this.summary.add(row("greedy tokens CUDA = CPU", (sameTokens ? "PASS" : "FAIL") + " (" + gpuTokens.size()
				+ " tokens)"));
		this.failed |= !sameTokens;
		if (reference != null) {
			boolean same = decode(vocab, gpuTokens).equals(reference);
			log("CUDA greedy text %s the reference", same ? "equals" : "DIFFERS FROM");
			this.summary.add(row("CUDA greedy text = reference", same ? "PASS" : "FAIL"));
			this.failed |= !same;
		}
		// The logits of every greedy step, both models fed the CPU's tokens.
		float[] c = new float[cpu.config().vocabSize()];
		float[] g = new float[c.length];
		double worstStep = 0;
		int[] table = shuffledBlocks(cpu.cacheShape().blocks(), new Random(7));
		int token = BOS;
		for (int pos = 0; pos <= cpuTokens.size() && pos < GREEDY_STEPS; pos++) {
			DecodeBatch step = new DecodeBatch(new int[] { token }, new int[] { 0, 1 }, new int[] { pos },
					new int[][] { table }, new boolean[] { true });
			cpu.forward(step).copy(0, c);
			gpu.forward(step).copy(0, g);
			worstStep = Math.max(worstStep, relativeError(g, c));
			if (pos < cpuTokens.size()) {
				token = cpuTokens.get(pos);
			}
		}
		record("greedy steps' logits, CUDA vs CPU", worstStep);
	}

	/** Decode and prefill of several sequences in the same steps, block tables shuffled, against the CPU. */
	private void batchComparison(String what, DecoderModel cpu, DecoderModel gpu, Random random) {
		int vocab = cpu.config().vocabSize();
		int[] pool = shuffledBlocks(cpu.cacheShape().blocks(), random);
		int sequences = 5;
		int perSequence = pool.length / sequences;
		int[][] tables = new int[sequences][];
		for (int s = 0; s < sequences; s++) {
			tables[s] = Arrays.copyOfRange(pool, s * perSequence, (s + 1) * perSequence);
		}
		int[] lengths = new int[sequences];
		// prompts of 1, 3, 17, 40 and 9 tokens (a 40-token one in chunks of 24 and 16), then 12 decode steps of all
		int[][] prompts = { randomTokens(random, 1, vocab), randomTokens(random, 3, vocab),
				randomTokens(random, 17, vocab), randomTokens(random, 40, vocab), randomTokens(random, 9, vocab) };
		double worstHere = 0;
		float[] c = new float[vocab];
		float[] g = new float[vocab];
		int[] next = new int[sequences];
		for (int step = 0; step < 14; step++) {
			List<int[]> chunks = new ArrayList<>();
			boolean[] want = new boolean[sequences];
			for (int s = 0; s < sequences; s++) {
				int[] chunk;
				if (lengths[s] < prompts[s].length) {
					int n = Math.min(24, prompts[s].length - lengths[s]);
					chunk = Arrays.copyOfRange(prompts[s], lengths[s], lengths[s] + n);
				}
				else {
					chunk = new int[] { next[s] };
				}
				chunks.add(chunk);
				want[s] = lengths[s] + chunk.length >= prompts[s].length;
			}
			int total = chunks.stream().mapToInt(x -> x.length).sum();
			int[] tokens = new int[total];
			int[] starts = new int[sequences + 1];
			int[] positions = new int[sequences];
			for (int s = 0; s < sequences; s++) {
				System.arraycopy(chunks.get(s), 0, tokens, starts[s], chunks.get(s).length);
				starts[s + 1] = starts[s] + chunks.get(s).length;
				positions[s] = lengths[s];
				lengths[s] += chunks.get(s).length;
			}
			DecodeBatch batch = new DecodeBatch(tokens, starts, positions, tables, want);
			StepLogits cl = cpu.forward(batch);
			StepLogits gl = gpu.forward(batch);
			for (int s = 0; s < sequences; s++) {
				if (want[s]) {
					cl.copy(s, c);
					gl.copy(s, g);
					worstHere = Math.max(worstHere, relativeError(g, c));
					if (gl.argmax(s) != cl.argmax(s)) {
						// Only a near tie (within the logits' tolerance) may pick another token.
						double scale = 0;
						for (float v : c) {
							scale = Math.max(scale, Math.abs(v));
						}
						boolean tie = c[gl.argmax(s)] >= c[cl.argmax(s)] - LIMIT * scale;
						log("  step %d sequence %d: argmax %d on CUDA, %d on the CPU%s", step, s, gl.argmax(s),
								cl.argmax(s), tie ? " (a near tie)" : "");
						this.failed |= !tie;
					}
					next[s] = cl.argmax(s);
				}
			}
		}
		record(what + ": 5 sequences, prefill + 12 decode steps batched", worstHere);
	}

	private void repeatability(CudaLlamaModel gpu) {
		int vocab = gpu.config().vocabSize();
		DecodeBatch batch = new DecodeBatch(new int[] { BOS, 5, 9, 300, BOS }, new int[] { 0, 4, 5 },
				new int[] { 0, 0 }, new int[][] { { 3 }, { 40 } }, new boolean[] { true, true });
		float[] a = new float[vocab];
		float[] b = new float[vocab];
		gpu.forward(batch).copy(0, a);
		gpu.forward(batch).copy(0, b);
		boolean same = Arrays.equals(a, b);
		log("the same step twice gives identical logits: %s", same ? "yes" : "NO");
		this.summary.add(row("repeatable (bitwise)", same ? "PASS" : "FAIL"));
		this.failed |= !same;
	}

	/** Small synthetic models compared with the CPU: F16 Qwen2-style (half-split RoPE, biases, tied) and Q8_0. */
	static final List<SyntheticLlama.Shape> COMPARED = List.of(
			new SyntheticLlama.Shape("qwen-tiny", "qwen2", 256, 2, 4, 2, 704, 1000, 512, true),
			new SyntheticLlama.Shape("llama-tiny", "llama", 256, 2, 8, 4, 768, 1000, 512, false));

	/** Their weight types. */
	static final List<GgmlType> COMPARED_TYPES = List.of(GgmlType.F16, GgmlType.Q8_0);

	private void syntheticComparisons(Path dir) throws IOException {
		for (int i = 0; i < COMPARED.size(); i++) {
			compareSynthetic(dir, COMPARED.get(i), COMPARED_TYPES.get(i));
		}
	}

	private void compareSynthetic(Path dir, SyntheticLlama.Shape shape, GgmlType type) throws IOException {
		Path path = dir.resolve("synthetic-" + shape.name() + ".gguf");
		SyntheticLlama.write(shape, type, path, 11);
		GgufFile file = GgufFile.open(path);
		KvCacheShape cache = new KvCacheShape(40, BLOCK);
		try (CpuLlamaModel cpu = CpuLlamaModel.load(file, cache, Runtime.getRuntime().availableProcessors());
				CudaLlamaModel gpu = CudaLlamaModel.load(file, cache)) {
			batchComparison(shape.name() + " " + type, cpu, gpu, new Random(3));
		}
		Files.deleteIfExists(path);
	}

	// ---- speed

	private void benchmark(GgufFile stories, Path dir) throws IOException {
		double bandwidth;
		try (CudaLlamaModel gpu = CudaLlamaModel.load(stories, new KvCacheShape(16, BLOCK))) {
			bandwidth = CopyBandwidth.measure();
			this.summary.add("");
			this.summary.add(row("copy bandwidth", String.format(Locale.ROOT,
					"%.2f TB/s (read + written, 1 GiB cuMemcpyDtoD x %d)", bandwidth / 1e12, CopyBandwidth.COPIES)));
			this.summary.add(String.format(Locale.ROOT, "%-12s %5s %6s %6s %12s %10s %14s", "model", "type", "launch",
					"batch", "tokens/s", "ms/step", "of bandwidth"));
			decodeThroughput("stories260K", "F32", gpu, 1, 200, bandwidth);
		}
		try (CudaLlamaModel gpu = new CudaLlamaModel(stories, new KvCacheShape(16, BLOCK), 0, true)) {
			decodeThroughput("stories260K", "F32", gpu, 1, 200, bandwidth);
		}
		List<SyntheticLlama.Shape> shapes = List.of(SyntheticLlama.STORIES_15M, SyntheticLlama.STORIES_110M,
				SyntheticLlama.QWEN2_0_5B);
		List<GgmlType> types = List.of(GgmlType.F32, GgmlType.Q8_0, GgmlType.F16);
		for (int m = 0; m < shapes.size(); m++) {
			SyntheticLlama.Shape shape = shapes.get(m);
			GgmlType type = types.get(m);
			Path path = dir.resolve("synthetic-" + shape.name() + ".gguf");
			long t0 = System.nanoTime();
			SyntheticLlama.write(shape, type, path, 5);
			log("wrote %s (%d parameters, %s, %.0f MB) in %.1f s", path.getFileName(), shape.parameters(), type,
					Files.size(path) / 1e6, (System.nanoTime() - t0) / 1e9);
			int steps = 32;
			int maxBatch = 128;
			KvCacheShape cache = new KvCacheShape(maxBatch * ((steps + 1 + BLOCK - 1) / BLOCK), BLOCK);
			for (boolean graphs : new boolean[] { false, true }) {
				try (CudaLlamaModel gpu = new CudaLlamaModel(GgufFile.open(path), cache, 0, graphs)) {
					for (int batch : new int[] { 1, 8, 32, 64, 128 }) {
						decodeThroughput(shape.name(), type.name(), gpu, batch, steps, bandwidth);
					}
				}
			}
			Files.deleteIfExists(path);
		}
	}

	/**
	 * {@code batch} sequences decoding together from BOS for {@code steps} steps (greedy on the device); after a
	 * warm-up run, tokens per second over the timed run and the share of the copy bandwidth that the weight bytes
	 * read per step amount to.
	 */
	private void decodeThroughput(String name, String type, CudaLlamaModel gpu, int batch, int steps, double bandwidth) {
		int blocksEach = gpu.cacheShape().blocks() / batch;
		int[][] tables = new int[batch][];
		for (int s = 0; s < batch; s++) {
			tables[s] = new int[blocksEach];
			for (int i = 0; i < blocksEach; i++) {
				tables[s][i] = s * blocksEach + i;
			}
		}
		decodeRun(gpu, batch, Math.min(steps, 8), tables); // warm-up: JIT, buffers grown
		long t = System.nanoTime();
		decodeRun(gpu, batch, steps, tables);
		double seconds = (System.nanoTime() - t) / 1e9;
		double perStep = seconds / steps;
		double tokensPerSecond = batch * steps / seconds;
		double share = gpu.weightBytesPerToken() / bandwidth / perStep;
		String line = String.format(Locale.ROOT, "%-12s %5s %6s %6d %12.0f %10.3f %13.1f%%", name, type,
				gpu.graphCaptures() > 0 ? "graph" : "eager", batch, tokensPerSecond, perStep * 1e3, 100 * share);
		log("benchmark %s", line);
		this.summary.add(line);
	}

	private static void decodeRun(CudaLlamaModel gpu, int batch, int steps, int[][] tables) {
		int[] tokens = new int[batch];
		Arrays.fill(tokens, BOS);
		int[] starts = new int[batch + 1];
		for (int s = 0; s <= batch; s++) {
			starts[s] = s;
		}
		boolean[] want = new boolean[batch];
		Arrays.fill(want, true);
		for (int pos = 0; pos < steps; pos++) {
			int[] positions = new int[batch];
			Arrays.fill(positions, pos);
			StepLogits logits = gpu.forward(new DecodeBatch(tokens.clone(), starts, positions, tables, want));
			for (int s = 0; s < batch; s++) {
				tokens[s] = logits.argmax(s);
			}
		}
	}

	// ---- helpers

	/** llama2.c's loop over a shuffled block table, for {@value #GREEDY_STEPS} positions or until BOS. */
	private static List<Integer> greedy(DecoderModel model) {
		return Llama2cReference.greedyFromBos(model, shuffledBlocks(model.cacheShape().blocks(), new Random(7)),
				GREEDY_STEPS, BOS);
	}

	static String decode(List<String> vocab, List<Integer> tokens) {
		return Llama2cReference.decode(vocab, tokens);
	}

	private static int[] shuffledBlocks(int blocks, Random random) {
		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < blocks; i++) {
			ids.add(i);
		}
		Collections.shuffle(ids, random);
		return ids.stream().mapToInt(Integer::intValue).toArray();
	}

	private static int[] randomTokens(Random random, int n, int vocab) {
		int[] t = new int[n];
		for (int i = 0; i < n; i++) {
			t[i] = 3 + random.nextInt(vocab - 3);
		}
		return t;
	}

	/** {@code max|g - c| / max|c|}; infinite when g holds a non-finite value. */
	static double relativeError(float[] g, float[] c) {
		double diff = 0;
		double scale = 0;
		for (int i = 0; i < c.length; i++) {
			if (!Float.isFinite(g[i])) {
				return Double.POSITIVE_INFINITY;
			}
			diff = Math.max(diff, Math.abs(g[i] - (double) c[i]));
			scale = Math.max(scale, Math.abs(c[i]));
		}
		return diff / scale;
	}

	private void record(String what, double error) {
		boolean ok = error <= LIMIT;
		this.worst = Math.max(this.worst, error);
		this.failed |= !ok;
		log("%-60s max rel err %.2e %s", what, error, ok ? "ok" : "FAIL");
		this.summary.add(row(what, String.format(Locale.ROOT, "%.2e %s", error, ok ? "PASS" : "FAIL")));
	}

	private static String row(String what, String result) {
		return String.format(Locale.ROOT, "%-52s %s", what, result);
	}

	private void log(String format, Object... args) {
		this.out.println(String.format(Locale.ROOT, format, args));
	}

}
