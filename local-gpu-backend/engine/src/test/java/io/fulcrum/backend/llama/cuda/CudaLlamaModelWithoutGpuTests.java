package io.fulcrum.backend.llama.cuda;

import java.nio.file.Path;

import io.fulcrum.backend.encoder.cuda.CudaException;
import io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe;
import io.fulcrum.backend.gguf.GgmlType;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.SyntheticLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On a machine without a CUDA driver the model fails to construct with a {@link CudaException} that says why,
 * rather than crashing the JVM. Skipped where CUDA works.
 */
class CudaLlamaModelWithoutGpuTests {

	@Test
	void constructingTheModelFailsWithACudaExceptionThatSaysWhy(@TempDir Path dir) throws Exception {
		assumeFalse(CudaRuntimeProbe.probe().isAvailable(), "CUDA works here");
		Path file = dir.resolve("tiny.gguf");
		SyntheticLlama.write(new SyntheticLlama.Shape("tiny", "llama", 64, 1, 4, 2, 96, 50, 128, true), GgmlType.Q8_0,
				file, 1);
		GgufFile gguf = GgufFile.open(file);
		for (int i = 0; i < 2; i++) { // and again, once JCuda's native library has already failed to load
			assertThatThrownBy(() -> CudaLlamaModel.load(gguf, new KvCacheShape(4, 16)))
				.isInstanceOf(CudaException.class)
				.hasMessageStartingWith("CUDA is not usable on this machine: ");
		}
	}

}
