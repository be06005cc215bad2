package io.fulcrum.backend.llama.cuda;

import java.io.IOException;
import java.nio.file.Path;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufWriter;

/**
 * Writes a GGUF file of a Llama-family decoder with random weights of a given shape: for benchmarks of model sizes
 * that cannot travel to a GPU machine, and for tests. Matrices are uniform in {@code ±sqrt(3 / cols)} (unit-scale
 * outputs for unit-scale inputs), norms near 1, Qwen2's q/k/v biases small; deterministic for a seed.
 */
public final class SyntheticGguf {

	/**
	 * A decoder's shape.
	 *
	 * @param name for logs, e.g. {@code 110M}
	 * @param architecture {@code llama} or {@code qwen2} (half-split RoPE, q/k/v biases)
	 * @param tiedOutput whether to leave out {@code output.weight}
	 */
	public record Shape(String name, String architecture, int dim, int layers, int heads, int kvHeads, int ffn,
			int vocab, boolean tiedOutput) {

		/** Parameters, embedding table included (once when tied). */
		public long parameters() {
			long headDim = this.dim / this.heads;
			long attention = (long) this.dim * (this.heads * headDim + 2 * this.kvHeads * headDim)
					+ this.heads * headDim * this.dim;
			long ffnParams = 3L * this.dim * this.ffn;
			return this.layers * (attention + ffnParams) + (this.tiedOutput ? 1 : 2) * (long) this.vocab * this.dim;
		}

	}

	private SyntheticGguf() {
	}

	/** Writes {@code shape} with its matrices (embedding and output included) in {@code type}. */
	public static void write(Path file, Shape shape, GgmlType type, long seed) throws IOException {
		String a = shape.architecture();
		int headDim = shape.dim() / shape.heads();
		int kvDim = shape.kvHeads() * headDim;
		GgufWriter w = new GgufWriter().put("general.architecture", a)
			.put("general.name", "synthetic " + shape.name())
			.put(a + ".embedding_length", shape.dim())
			.put(a + ".block_count", shape.layers())
			.put(a + ".attention.head_count", shape.heads())
			.put(a + ".attention.head_count_kv", shape.kvHeads())
			.put(a + ".feed_forward_length", shape.ffn())
			.put(a + ".context_length", 4096)
			.put(a + ".attention.layer_norm_rms_epsilon", 1e-5f)
			.put(a + ".rope.freq_base", a.equals("qwen2") ? 1000000f : 10000f);
		matrix(w, "token_embd.weight", type, shape.vocab(), shape.dim(), seed);
		for (int l = 0; l < shape.layers(); l++) {
			String p = "blk." + l + ".";
			long s = seed + 1000L * (l + 1);
			vector(w, p + "attn_norm.weight", shape.dim(), 1f, 0.1f, s + 1);
			matrix(w, p + "attn_q.weight", type, shape.dim(), shape.dim(), s + 2);
			matrix(w, p + "attn_k.weight", type, kvDim, shape.dim(), s + 3);
			matrix(w, p + "attn_v.weight", type, kvDim, shape.dim(), s + 4);
			if (a.equals("qwen2")) {
				vector(w, p + "attn_q.bias", shape.dim(), 0f, 0.1f, s + 5);
				vector(w, p + "attn_k.bias", kvDim, 0f, 0.1f, s + 6);
				vector(w, p + "attn_v.bias", kvDim, 0f, 0.1f, s + 7);
			}
			matrix(w, p + "attn_output.weight", type, shape.dim(), shape.dim(), s + 8);
			vector(w, p + "ffn_norm.weight", shape.dim(), 1f, 0.1f, s + 9);
			matrix(w, p + "ffn_gate.weight", type, shape.ffn(), shape.dim(), s + 10);
			matrix(w, p + "ffn_up.weight", type, shape.ffn(), shape.dim(), s + 11);
			matrix(w, p + "ffn_down.weight", type, shape.dim(), shape.ffn(), s + 12);
		}
		vector(w, "output_norm.weight", shape.dim(), 1f, 0.1f, seed + 7);
		if (!shape.tiedOutput()) {
			matrix(w, "output.weight", type, shape.vocab(), shape.dim(), seed + 8);
		}
		w.write(file);
	}

	private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, long seed) {
		float half = (float) Math.sqrt(3.0 / cols);
		w.tensor(name, type, new long[] { cols, rows }, () -> uniform((long) rows * cols, 0f, half, seed));
	}

	private static void vector(GgufWriter w, String name, int n, float center, float half, long seed) {
		w.tensor(name, GgmlType.F32, new long[] { n }, () -> uniform(n, center, half, seed));
	}

	/** {@code n} values uniform in {@code center ± half}, from a SplitMix64 sequence. */
	static float[] uniform(long n, float center, float half, long seed) {
		float[] v = new float[Math.toIntExact(n)];
		long state = seed * 0x9E3779B97F4A7C15L;
		for (int i = 0; i < v.length; i++) {
			state += 0x9E3779B97F4A7C15L;
			long z = state;
			z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
			z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
			z ^= z >>> 31;
			v[i] = center + half * ((z >>> 40) * 0x1.0p-23f - 1f);
		}
		return v;
	}

}
