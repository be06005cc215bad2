package io.fulcrum.backend.llama.cuda;

import java.nio.file.Path;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.RopeStyle;
import io.fulcrum.backend.llama.SyntheticLlama;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small synthetic models LlamaGpuCheck compares on a GPU cover what they should (Qwen2's half-split RoPE and
 * biases in F16, a Q8_0 Llama with its own output matrix) and run on the CPU decoder to finite logits.
 */
class LlamaGpuCheckModelsTests {

	@Test
	void theComparedModelsAreValidAndCoverBothRopeStylesAndTheQuantizedTypes(@TempDir Path dir) throws Exception {
		assertThat(LlamaGpuCheck.COMPARED_TYPES).containsExactlyInAnyOrder(GgmlType.F16, GgmlType.Q8_0);
		for (int i = 0; i < LlamaGpuCheck.COMPARED.size(); i++) {
			SyntheticLlama.Shape shape = LlamaGpuCheck.COMPARED.get(i);
			Path path = dir.resolve(shape.name() + ".gguf");
			SyntheticLlama.write(shape, LlamaGpuCheck.COMPARED_TYPES.get(i), path, 3);
			GgufFile file = GgufFile.open(path);
			LlamaConfig c = LlamaConfig.from(file);
			boolean qwen = shape.architecture().equals("qwen2");
			assertThat(c.ropeStyle()).isEqualTo(qwen ? RopeStyle.HALF_SPLIT : RopeStyle.ADJACENT_PAIRS);
			assertThat(c.attentionBias()).isEqualTo(qwen);
			assertThat(c.kvHeads()).isLessThan(c.heads());
			assertThat(file.tensor("blk.1.ffn_down.weight").type()).isEqualTo(LlamaGpuCheck.COMPARED_TYPES.get(i));
			try (CpuLlamaModel cpu = CpuLlamaModel.load(file, new KvCacheShape(4, 16), 1)) {
				float[] logits = new float[shape.vocab()];
				cpu.forward(new DecodeBatch(new int[] { 1, 5, 7 }, new int[] { 0, 3 }, new int[] { 0 },
						new int[][] { { 2 } }, new boolean[] { true })).copy(0, logits);
				double max = 0;
				for (float v : logits) {
					assertThat(v).isFinite();
					max = Math.max(max, Math.abs(v));
				}
				assertThat(max).as("logits not all zero").isGreaterThan(1e-3);
			}
		}
	}

}
