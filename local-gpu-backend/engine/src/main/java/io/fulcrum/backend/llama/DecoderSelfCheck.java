package io.fulcrum.backend.llama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufWriter;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;

/**
 * Checks a decoder implementation against the CPU reference before it serves anything: a small random model with
 * one layer of each weight type (F32, F16, Q8_0), grouped-query attention and biases, two sequences prefilled in
 * one step and then decoded together over a shuffled block table. The logits must agree within
 * {@value #TOLERANCE} relative (L2) and the argmax exactly. A device whose kernels misbehave (a driver that compiles
 * the PTX differently, a broken card) is thus refused at start-up, with the reason, instead of generating garbage.
 * Takes well under a second.
 */
public final class DecoderSelfCheck {

	/** Relative L2 error allowed between the candidate's and the CPU's logits (fp32 both; sums in other orders). */
	static final double TOLERANCE = 1e-4;

	private DecoderSelfCheck() {
	}

	/**
	 * Runs the check on the decoder {@code candidate} builds for a model file and cache.
	 * @throws IllegalStateException when the candidate disagrees with the CPU (the message says where)
	 */
	public static void verify(String name, BiFunction<GgufFile, KvCacheShape, ? extends DecoderModel> candidate) {
		Path dir = null;
		try {
			dir = Files.createTempDirectory("fulcrum-self-check");
			Path file = dir.resolve("self-check.gguf");
			write(file);
			GgufFile model = GgufFile.open(file);
			KvCacheShape cache = new KvCacheShape(8, 4);
			try (DecoderModel reference = CpuLlamaModel.load(model, cache, 1);
					DecoderModel tested = candidate.apply(model, cache)) {
				compare(name, reference, tested);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the decoder self-check could not write its model", ex);
		}
		finally {
			if (dir != null) {
				try (var files = Files.list(dir)) {
					for (Path f : files.toList()) {
						Files.deleteIfExists(f);
					}
					Files.deleteIfExists(dir);
				}
				catch (IOException ex) {
					// A temporary folder left behind is harmless.
				}
			}
		}
	}

	private static void compare(String name, DecoderModel reference, DecoderModel tested) {
		int[][] tables = { { 5, 2, 7 }, { 0, 6, 3 } };
		// Step 1: both prompts prefilled together; step 2 and 3: both decode one token.
		DecodeBatch prefill = new DecodeBatch(new int[] { 1, 17, 93, 200, 45, 1, 250, 3 }, new int[] { 0, 5, 8 },
				new int[] { 0, 0 }, tables, new boolean[] { true, true });
		check(name, "prefill", reference.forward(prefill), tested.forward(prefill), reference.config().vocabSize());
		int[] next = { 33, 150 };
		for (int step = 0; step < 2; step++) {
			DecodeBatch decode = new DecodeBatch(next.clone(), new int[] { 0, 1, 2 }, new int[] { 5 + step, 3 + step },
					tables, new boolean[] { true, true });
			StepLogits expected = reference.forward(decode);
			check(name, "decode step " + (step + 1), expected, tested.forward(decode), reference.config().vocabSize());
			next = new int[] { expected.argmax(0), expected.argmax(1) };
		}
	}

	private static void check(String name, String step, StepLogits expected, StepLogits actual, int vocab) {
		float[] e = new float[vocab];
		float[] a = new float[vocab];
		for (int s = 0; s < 2; s++) {
			expected.copy(s, e);
			actual.copy(s, a);
			double error = 0;
			double norm = 0;
			for (int i = 0; i < vocab; i++) {
				error += (double) (a[i] - e[i]) * (a[i] - e[i]);
				norm += (double) e[i] * e[i];
			}
			double relative = Math.sqrt(error / norm);
			if (!(relative <= TOLERANCE) || actual.argmax(s) != expected.argmax(s)) {
				throw new IllegalStateException(String.format(Locale.ROOT,
						"%s failed its self-check at %s, sequence %d: logits differ from the CPU's by %.2e relative"
								+ " (allowed %.0e), argmax %d where the CPU has %d",
						name, step, s, relative, TOLERANCE, actual.argmax(s), expected.argmax(s)));
			}
		}
	}

	/** Three layers, one per weight type; 4 query and 2 key/value heads of 16; biases; vocabulary 256. */
	private static void write(Path file) throws IOException {
		int dim = 64;
		int kvDim = 32;
		int ffn = 96;
		int vocab = 256;
		GgufWriter writer = new GgufWriter().put("general.architecture", "qwen2")
			.put("qwen2.context_length", 64)
			.put("qwen2.embedding_length", dim)
			.put("qwen2.block_count", 3)
			.put("qwen2.feed_forward_length", ffn)
			.put("qwen2.attention.head_count", 4)
			.put("qwen2.attention.head_count_kv", 2)
			.put("qwen2.attention.layer_norm_rms_epsilon", 1e-6f);
		SplittableRandom random = new SplittableRandom(20261128);
		writer.tensor("token_embd.weight", GgmlType.F32, new long[] { dim, vocab }, values(random, dim * vocab, 1));
		GgmlType[] types = { GgmlType.F32, GgmlType.F16, GgmlType.Q8_0 };
		for (int l = 0; l < 3; l++) {
			String p = "blk." + l + ".";
			GgmlType t = types[l];
			writer.tensor(p + "attn_norm.weight", GgmlType.F32, new long[] { dim }, values(random, dim, 0.5f, 1f));
			writer.tensor(p + "attn_q.weight", t, new long[] { dim, dim }, values(random, dim * dim, 0.125f));
			writer.tensor(p + "attn_k.weight", t, new long[] { dim, kvDim }, values(random, dim * kvDim, 0.125f));
			writer.tensor(p + "attn_v.weight", t, new long[] { dim, kvDim }, values(random, dim * kvDim, 0.125f));
			writer.tensor(p + "attn_q.bias", GgmlType.F32, new long[] { dim }, values(random, dim, 0.05f));
			writer.tensor(p + "attn_k.bias", GgmlType.F32, new long[] { kvDim }, values(random, kvDim, 0.05f));
			writer.tensor(p + "attn_v.bias", GgmlType.F32, new long[] { kvDim }, values(random, kvDim, 0.05f));
			writer.tensor(p + "attn_output.weight", t, new long[] { dim, dim }, values(random, dim * dim, 0.125f));
			writer.tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] { dim }, values(random, dim, 0.5f, 1f));
			writer.tensor(p + "ffn_gate.weight", t, new long[] { dim, ffn }, values(random, dim * ffn, 0.125f));
			writer.tensor(p + "ffn_up.weight", t, new long[] { dim, ffn }, values(random, dim * ffn, 0.125f));
			writer.tensor(p + "ffn_down.weight", t, new long[] { ffn, dim }, values(random, ffn * dim, 0.1f));
		}
		writer.tensor("output_norm.weight", GgmlType.F32, new long[] { dim }, values(random, dim, 0.5f, 1f));
		writer.tensor("output.weight", GgmlType.F16, new long[] { dim, vocab }, values(random, dim * vocab, 0.125f));
		writer.write(file);
	}

	private static GgufWriter.TensorSource values(SplittableRandom random, int count, float scale) {
		return values(random, count, scale, 0f);
	}

	/** Uniform in {@code offset ± scale}, drawn now so the file does not depend on write order. */
	private static GgufWriter.TensorSource values(SplittableRandom random, int count, float scale,
			float offset) {
		float[] v = new float[count];
		for (int i = 0; i < count; i++) {
			v[i] = offset + (float) ((random.nextDouble() * 2 - 1) * scale);
		}
		return () -> Arrays.copyOf(v, v.length);
	}

}
