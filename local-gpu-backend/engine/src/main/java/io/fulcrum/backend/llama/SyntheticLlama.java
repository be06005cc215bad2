package io.fulcrum.backend.llama;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufWriter;

/**
 * Writes GGUF models with random weights in the shapes of real ones, for benchmarks: the speed of a decoder depends
 * on its shape and weight type, not on what its weights say. Weights are drawn uniformly with the scale of a trained
 * model's initialisation ({@code ±1/sqrt(fan-in)}), so activations stay finite through every layer. No tokenizer is
 * written: benchmarks drive the engine with token ids.
 */
public final class SyntheticLlama {

	/**
	 * A model shape.
	 *
	 * @param name how benchmarks name it
	 * @param architecture {@code llama} or {@code qwen2}
	 * @param dim model width
	 * @param layers transformer blocks
	 * @param heads query heads
	 * @param kvHeads key/value heads
	 * @param ffnDim SwiGLU hidden width
	 * @param vocab vocabulary size
	 * @param context context window
	 * @param tiedEmbeddings whether the output projection is the embedding table (no {@code output.weight})
	 */
	public record Shape(String name, String architecture, int dim, int layers, int heads, int kvHeads, int ffnDim,
			int vocab, int context, boolean tiedEmbeddings) {

		/** Parameters, counting a tied table once. */
		public long parameters() {
			long kvDim = (long) this.dim / this.heads * this.kvHeads;
			long perLayer = 2L * this.dim * this.dim + 2L * this.dim * kvDim + 3L * this.dim * this.ffnDim + 2L * this.dim;
			long embeddings = (long) this.vocab * this.dim * (this.tiedEmbeddings ? 1 : 2);
			return this.layers * perLayer + embeddings + this.dim;
		}

	}

	/** llama2.c's stories15M: dim 288, 6 layers, 6 heads, vocabulary 32,000. */
	public static final Shape STORIES_15M = new Shape("15M", "llama", 288, 6, 6, 6, 768, 32000, 1024, false);

	/** llama2.c's stories110M: dim 768, 12 layers, 12 heads, vocabulary 32,000. */
	public static final Shape STORIES_110M = new Shape("110M", "llama", 768, 12, 12, 12, 2048, 32000, 1024, false);

	/** Qwen2-0.5B: dim 896, 24 layers, 14 query and 2 key/value heads, vocabulary 151,936, tied embeddings. */
	public static final Shape QWEN2_0_5B = new Shape("0.5B", "qwen2", 896, 24, 14, 2, 4864, 151936, 4096, true);

	/** Llama 3.2 1B: dim 2048, 16 layers, 32 query and 8 key/value heads, vocabulary 128,256, tied embeddings. */
	public static final Shape LLAMA_3_2_1B = new Shape("1B", "llama", 2048, 16, 32, 8, 8192, 128256, 4096, true);

	/** Every preset, smallest first. */
	public static final List<Shape> PRESETS = List.of(STORIES_15M, STORIES_110M, QWEN2_0_5B, LLAMA_3_2_1B);

	private SyntheticLlama() {
	}

	/** The preset called {@code name} (15M, 110M, 0.5B, 1B). */
	public static Shape preset(String name) {
		for (Shape shape : PRESETS) {
			if (shape.name().equalsIgnoreCase(name)) {
				return shape;
			}
		}
		throw new IllegalArgumentException("no model shape " + name + "; known: 15M, 110M, 0.5B, 1B");
	}

	/** Writes {@code shape} with matrices of {@code type} (norms stay F32, as converters write them). */
	public static void write(Shape shape, GgmlType type, Path file, long seed) throws IOException {
		String a = shape.architecture();
		int headDim = shape.dim() / shape.heads();
		int kvDim = headDim * shape.kvHeads();
		GgufWriter writer = new GgufWriter().put("general.architecture", a)
			.put("general.name", "synthetic-" + shape.name())
			.put(a + ".context_length", shape.context())
			.put(a + ".embedding_length", shape.dim())
			.put(a + ".block_count", shape.layers())
			.put(a + ".feed_forward_length", shape.ffnDim())
			.put(a + ".attention.head_count", shape.heads())
			.put(a + ".attention.head_count_kv", shape.kvHeads())
			.put(a + ".rope.dimension_count", headDim)
			.put(a + ".attention.layer_norm_rms_epsilon", 1e-6f)
			.put(a + ".rope.freq_base", a.equals("qwen2") ? 1_000_000f : 500_000f);
		SplittableRandom root = new SplittableRandom(seed);
		writer.tensor("token_embd.weight", type, new long[] { shape.dim(), shape.vocab() },
				() -> uniform(root.nextLong(), (long) shape.vocab() * shape.dim(), 1.0f));
		for (int l = 0; l < shape.layers(); l++) {
			String p = "blk." + l + ".";
			writer.tensor(p + "attn_norm.weight", GgmlType.F32, new long[] { shape.dim() }, () -> ones(shape.dim()));
			matrix(writer, p + "attn_q.weight", type, shape.dim(), shape.dim(), root.nextLong());
			matrix(writer, p + "attn_k.weight", type, shape.dim(), kvDim, root.nextLong());
			matrix(writer, p + "attn_v.weight", type, shape.dim(), kvDim, root.nextLong());
			if (a.equals("qwen2")) {
				for (String bias : new String[] { "attn_q.bias", "attn_k.bias", "attn_v.bias" }) {
					int width = bias.startsWith("attn_q") ? shape.dim() : kvDim;
					long s = root.nextLong();
					writer.tensor(p + bias, GgmlType.F32, new long[] { width }, () -> uniform(s, width, 0.02f));
				}
			}
			matrix(writer, p + "attn_output.weight", type, shape.dim(), shape.dim(), root.nextLong());
			writer.tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] { shape.dim() }, () -> ones(shape.dim()));
			matrix(writer, p + "ffn_gate.weight", type, shape.dim(), shape.ffnDim(), root.nextLong());
			matrix(writer, p + "ffn_up.weight", type, shape.dim(), shape.ffnDim(), root.nextLong());
			matrix(writer, p + "ffn_down.weight", type, shape.ffnDim(), shape.dim(), root.nextLong());
		}
		writer.tensor("output_norm.weight", GgmlType.F32, new long[] { shape.dim() }, () -> ones(shape.dim()));
		if (!shape.tiedEmbeddings()) {
			matrix(writer, "output.weight", type, shape.dim(), shape.vocab(), root.nextLong());
		}
		writer.write(file);
	}

	private static void matrix(GgufWriter writer, String name, GgmlType type, int in, int out, long seed) {
		writer.tensor(name, type, new long[] { in, out }, () -> uniform(seed, (long) in * out, (float) (1 / Math.sqrt(in))));
	}

	private static float[] uniform(long seed, long count, float scale) {
		SplittableRandom random = new SplittableRandom(seed);
		float[] values = new float[Math.toIntExact(count)];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
		}
		return values;
	}

	private static float[] ones(int count) {
		float[] values = new float[count];
		Arrays.fill(values, 1f);
		return values;
	}

}
