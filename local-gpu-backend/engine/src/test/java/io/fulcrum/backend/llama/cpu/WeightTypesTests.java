package io.fulcrum.backend.llama.cpu;

import java.io.IOException;
import java.nio.file.Path;

import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufTensor;
import io.fulcrum.backend.gguf.GgufWriter;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The same model stored as F16 and Q8_0 computes what its F32 original does, within the types' precision. */
class WeightTypesTests {

	@TempDir
	Path dir;

	@Test
	void f16AndQ8WeightsGiveLogitsCloseToF32AndTheSameGreedyStart() throws IOException {
		GgufFile original = GgufFile.open(SharedModels.stories260K());
		float[] reference = logits(original);
		for (GgmlType type : new GgmlType[] { GgmlType.F16, GgmlType.Q8_0 }) {
			float[] converted = logits(convert(original, type));
			double error = 0;
			double norm = 0;
			for (int i = 0; i < reference.length; i++) {
				error += (converted[i] - reference[i]) * (converted[i] - reference[i]);
				norm += reference[i] * reference[i];
			}
			double relative = Math.sqrt(error / norm);
			assertThat(relative).as(type + " relative error").isLessThan(type == GgmlType.F16 ? 2e-3 : 2e-2);
		}
	}

	/** Logits after a 12-token prompt, the last token's. */
	private static float[] logits(GgufFile file) {
		try (CpuLlamaModel model = CpuLlamaModel.load(file, new KvCacheShape(4, 16), 2)) {
			int[] prompt = { 1, 403, 261, 374, 289, 262, 270, 309, 298, 281, 259, 415 };
			float[] out = new float[model.config().vocabSize()];
			model.forward(new DecodeBatch(prompt, new int[] { 0, prompt.length }, new int[] { 0 },
					new int[][] { { 0 } }, new boolean[] { true })).copy(0, out);
			return out;
		}
	}

	/** The file with every matrix whose rows fit Q8_0 blocks stored as {@code type}; vectors stay F32. */
	private GgufFile convert(GgufFile file, GgmlType type) throws IOException {
		GgufWriter writer = new GgufWriter();
		file.metadata().forEach((key, value) -> {
			if (!(value instanceof double[])) {
				writer.put(key, value instanceof Double d ? (Object) d.floatValue() : value);
			}
		});
		for (GgufTensor tensor : file.tensors().values()) {
			boolean matrix = tensor.dims().length == 2 && tensor.cols() % 32 == 0;
			writer.tensor(tensor.name(), matrix ? type : GgmlType.F32, tensor.dims(), tensor::toFloats);
		}
		Path out = this.dir.resolve(type + ".gguf");
		writer.write(out);
		return GgufFile.open(out);
	}

}
