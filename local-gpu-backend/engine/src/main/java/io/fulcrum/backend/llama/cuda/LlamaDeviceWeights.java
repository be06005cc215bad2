package io.fulcrum.backend.llama.cuda;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.backend.encoder.cuda.DeviceMemory;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufTensor;
import io.fulcrum.backend.llama.LlamaConfig;
import jcuda.driver.CUdeviceptr;
import org.jspecify.annotations.Nullable;

/**
 * A decoder's weights on the device, uploaded once from the GGUF file's memory-mapped tensors. Each layer's q, k
 * and v projections are stacked into one matrix (one launch, rows {@code q | k | v}), and so are the feed-forward
 * gate and up projections ({@code gate | up}); norms and biases are fp32. Without {@code output.weight} the output
 * projection is the embedding table itself (tied), uploaded once.
 */
final class LlamaDeviceWeights {

	/** One block's weights. */
	record Layer(CUdeviceptr attentionNorm, DeviceMatrix qkv, @Nullable CUdeviceptr qkvBias, DeviceMatrix output,
			CUdeviceptr ffnNorm, DeviceMatrix gateUp, DeviceMatrix down) {
	}

	final DeviceMatrix embedding;

	final List<Layer> layers;

	final CUdeviceptr outputNorm;

	final DeviceMatrix output;

	/** Bytes of the weights one token's forward pass reads (all but the embedding table, unless it is tied). */
	final long bytesPerToken;

	LlamaDeviceWeights(GgufFile file, LlamaConfig config, DeviceMemory memory) {
		this.embedding = DeviceMatrix.upload(memory, "token_embd", List.of(file.tensor("token_embd.weight")));
		if (this.embedding.cols() != config.dim()) {
			throw new IllegalArgumentException("token_embd.weight has " + this.embedding.cols() + " columns, not "
					+ config.dim());
		}
		List<Layer> uploaded = new ArrayList<>();
		long perToken = 0;
		for (int l = 0; l < config.layers(); l++) {
			String p = "blk." + l + ".";
			DeviceMatrix qkv = DeviceMatrix.upload(memory, p + "attn_qkv", List.of(file.tensor(p + "attn_q.weight"),
					file.tensor(p + "attn_k.weight"), file.tensor(p + "attn_v.weight")));
			CUdeviceptr bias = null;
			if (config.attentionBias()) {
				float[] q = file.tensor(p + "attn_q.bias").toFloats();
				float[] k = file.tensor(p + "attn_k.bias").toFloats();
				float[] v = file.tensor(p + "attn_v.bias").toFloats();
				float[] all = new float[q.length + k.length + v.length];
				System.arraycopy(q, 0, all, 0, q.length);
				System.arraycopy(k, 0, all, q.length, k.length);
				System.arraycopy(v, 0, all, q.length + k.length, v.length);
				bias = memory.upload(all, p + "attn_qkv.bias");
			}
			Layer layer = new Layer(vector(file, memory, p + "attn_norm.weight"), qkv, bias,
					DeviceMatrix.upload(memory, p + "attn_output", List.of(file.tensor(p + "attn_output.weight"))),
					vector(file, memory, p + "ffn_norm.weight"),
					DeviceMatrix.upload(memory, p + "ffn_gate_up",
							List.of(file.tensor(p + "ffn_gate.weight"), file.tensor(p + "ffn_up.weight"))),
					DeviceMatrix.upload(memory, p + "ffn_down", List.of(file.tensor(p + "ffn_down.weight"))));
			checkShape(layer, config, l);
			perToken += qkv.bytes() + layer.output().bytes() + layer.gateUp().bytes() + layer.down().bytes();
			uploaded.add(layer);
		}
		this.layers = List.copyOf(uploaded);
		this.outputNorm = vector(file, memory, "output_norm.weight");
		this.output = file.hasTensor("output.weight")
				? DeviceMatrix.upload(memory, "output", List.of(file.tensor("output.weight"))) : this.embedding;
		this.bytesPerToken = perToken + this.output.bytes();
	}

	private static void checkShape(Layer layer, LlamaConfig c, int l) {
		int q = c.heads() * c.headDim();
		int width = q + 2 * c.kvDim();
		boolean ok = layer.qkv().rows() == width && layer.qkv().cols() == c.dim() && layer.output().rows() == c.dim()
				&& layer.output().cols() == q && layer.gateUp().rows() == 2 * c.ffnDim()
				&& layer.gateUp().cols() == c.dim() && layer.down().rows() == c.dim()
				&& layer.down().cols() == c.ffnDim();
		if (!ok) {
			throw new IllegalArgumentException("layer " + l + "'s weights do not have the shapes of " + c);
		}
	}

	private static CUdeviceptr vector(GgufFile file, DeviceMemory memory, String name) {
		GgufTensor t = file.tensor(name);
		return memory.upload(t.toFloats(), name);
	}

}
