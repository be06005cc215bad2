package io.fulcrum.backend.llama;

import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufFormatException;

/**
 * The shape of a Llama-family decoder, read from a GGUF file's {@code <arch>.*} metadata.
 *
 * @param architecture {@code general.architecture}: {@code llama} (also Mistral and TinyStories) or {@code qwen2}
 * @param dim the model (embedding) width
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads} under grouped-query attention)
 * @param headDim width of one head
 * @param ffnDim the SwiGLU hidden width
 * @param vocabSize tokens in the vocabulary (rows of the embedding table)
 * @param contextLength the longest sequence the model was trained for
 * @param rmsEps RMSNorm's epsilon
 * @param ropeTheta RoPE's frequency base
 * @param ropeStyle which dimensions RoPE rotates together
 * @param attentionBias whether the q, k and v projections have biases (Qwen2)
 */
public record LlamaConfig(String architecture, int dim, int layers, int heads, int kvHeads, int headDim, int ffnDim,
		int vocabSize, int contextLength, float rmsEps, float ropeTheta, RopeStyle ropeStyle, boolean attentionBias) {

	public LlamaConfig {
		if (heads % kvHeads != 0) {
			throw new GgufFormatException(heads + " query heads are not a multiple of " + kvHeads + " key/value heads");
		}
		if (headDim % 2 != 0) {
			throw new GgufFormatException("head width " + headDim + " is odd; rotary embeddings need pairs");
		}
	}

	/** Reads the configuration of a {@code llama} or {@code qwen2} GGUF file. */
	public static LlamaConfig from(GgufFile file) {
		String arch = file.string("general.architecture");
		if (!arch.equals("llama") && !arch.equals("qwen2")) {
			throw new GgufFormatException("architecture " + arch + " is not supported (llama and qwen2 are)");
		}
		int dim = (int) file.integer(arch + ".embedding_length");
		int heads = (int) file.integer(arch + ".attention.head_count");
		int kvHeads = (int) file.integer(arch + ".attention.head_count_kv", heads);
		int headDim = dim / heads;
		int ropeDims = (int) file.integer(arch + ".rope.dimension_count", headDim);
		if (ropeDims != headDim) {
			throw new GgufFormatException("partial rotary embeddings (" + ropeDims + " of " + headDim
					+ " dimensions) are not supported");
		}
		int vocab = file.tensor("token_embd.weight").rows();
		return new LlamaConfig(arch, dim, (int) file.integer(arch + ".block_count"), heads, kvHeads, headDim,
				(int) file.integer(arch + ".feed_forward_length"), vocab, (int) file.integer(arch + ".context_length"),
				(float) file.real(arch + ".attention.layer_norm_rms_epsilon", 1e-5),
				(float) file.real(arch + ".rope.freq_base", 10000.0),
				arch.equals("qwen2") ? RopeStyle.HALF_SPLIT : RopeStyle.ADJACENT_PAIRS, file.hasTensor("blk.0.attn_q.bias"));
	}

	/** Width of the key (and value) projection: {@code kvHeads * headDim}. */
	public int kvDim() {
		return this.kvHeads * this.headDim;
	}

}
