package io.fulcrum.backend.llama.cuda;

import java.nio.file.Path;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.RopeStyle;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The random-weight models LlamaGpuCheck compares and benchmarks are valid models the CPU decoder runs. */
class SyntheticGgufTests {

	@Test
	void qwen2AndLlamaShapesLoadAndGiveFiniteLogits(@TempDir Path dir) throws Exception {
		check(dir, new SyntheticGguf.Shape("q", "qwen2", 128, 2, 4, 2, 352, 300, true), GgmlType.F16,
				RopeStyle.HALF_SPLIT, true);
		check(dir, new SyntheticGguf.Shape("l", "llama", 128, 2, 8, 4, 384, 300, false), GgmlType.Q8_0,
				RopeStyle.ADJACENT_PAIRS, false);
	}

	private static void check(Path dir, SyntheticGguf.Shape shape, GgmlType type, RopeStyle rope, boolean bias)
			throws Exception {
		Path path = dir.resolve(shape.name() + ".gguf");
		SyntheticGguf.write(path, shape, type, 3);
		GgufFile file = GgufFile.open(path);
		LlamaConfig c = LlamaConfig.from(file);
		assertThat(c.dim()).isEqualTo(shape.dim());
		assertThat(c.kvHeads()).isEqualTo(shape.kvHeads());
		assertThat(c.ropeStyle()).isEqualTo(rope);
		assertThat(c.attentionBias()).isEqualTo(bias);
		assertThat(file.tensor("blk.1.ffn_down.weight").type()).isEqualTo(type);
		assertThat(file.hasTensor("output.weight")).isEqualTo(!shape.tiedOutput());
		try (CpuLlamaModel cpu = CpuLlamaModel.load(file, new KvCacheShape(4, 16), 1)) {
			float[] logits = new float[shape.vocab()];
			cpu.forward(new DecodeBatch(new int[] { 1, 5, 7 }, new int[] { 0, 3 }, new int[] { 0 },
					new int[][] { { 2 } }, new boolean[] { true })).copy(0, logits);
			double max = 0;
			for (float v : logits) {
				assertThat(v).isFinite();
				max = Math.max(max, Math.abs(v));
			}
			assertThat(max).as("logits of order one, not zero").isBetween(0.1, 100.0);
		}
	}

}
