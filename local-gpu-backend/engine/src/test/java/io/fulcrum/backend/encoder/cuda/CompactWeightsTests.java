package io.fulcrum.backend.encoder.cuda;

import java.nio.file.Path;
import java.util.List;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.bert.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The file that carries a model to a GPU machine: shapes exact, vectors exact, matrices within half a step. */
class CompactWeightsTests {

	@Test
	void readsBackTheModelWithMatricesWithinHalfAQuantizationStep(@TempDir Path dir) throws Exception {
		BertWeights original = CudaWithoutGpuTests.tinyModel();
		Path file = dir.resolve("tiny.fqw8.gz");
		CompactWeights.write(original, file);
		BertWeights read = CompactWeights.read(file);

		assertThat(read.config()).isEqualTo(original.config());
		List<Tensor> before = CompactWeights.tensors(original);
		List<Tensor> after = CompactWeights.tensors(read);
		assertThat(after).hasSameSizeAs(before);
		for (int i = 0; i < before.size(); i++) {
			Tensor a = before.get(i);
			Tensor b = after.get(i);
			assertThat(b.name()).isEqualTo(a.name());
			assertThat(b.shape()).isEqualTo(a.shape());
			if (a.shape().length == 1) {
				assertThat(b.data()).as(a.name()).containsExactly(a.data());
				continue;
			}
			for (int start = 0; start < a.size(); start += CompactWeights.BLOCK) {
				int end = Math.min(a.size(), start + CompactWeights.BLOCK);
				float max = 0;
				for (int j = start; j < end; j++) {
					max = Math.max(max, Math.abs(a.data()[j]));
				}
				float halfStep = max / 127f / 2f * 1.0001f;
				for (int j = start; j < end; j++) {
					assertThat(Math.abs(b.data()[j] - a.data()[j])).as("%s[%d]", a.name(), j).isLessThanOrEqualTo(halfStep);
				}
			}
		}
	}

}
