package io.fulcrum.backend.encoder.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed PTX is what build-ptx.sh makes of the committed .cu files (bert_kernels.cu and llama_kernels.cu),
 * where nvcc is installed to check it.
 */
class CudaPtxUpToDateTests {

	private static final Path CUDA_SOURCES = Path.of("src/main/cuda");

	private static final Path RESOURCES = Path.of("src/main/resources/io/fulcrum/backend");

	/** Where build-ptx.sh puts each file's PTX by default: beside the Java code that loads it. */
	static Path committedPtx(String ptxName) {
		return RESOURCES.resolve(ptxName.startsWith("llama_") ? "llama/cuda" : "encoder/cuda").resolve(ptxName);
	}

	@Test
	void committedPtxIsWhatNvccMakesOfTheKernels(@TempDir Path out) throws Exception {
		Optional<Path> nvcc = nvcc();
		assumeTrue(nvcc.isPresent(), "nvcc is not installed (not on PATH, not in /usr/local/cuda/bin): "
				+ "the committed PTX cannot be checked against the .cu files here");
		Process build = new ProcessBuilder("bash", CUDA_SOURCES.resolve("build-ptx.sh").toString(), out.toString())
			.redirectErrorStream(true)
			.start();
		String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
		assertThat(build.exitValue()).as("build-ptx.sh failed:%n%s", log).isZero();
		try (var sources = Files.list(CUDA_SOURCES)) {
			for (Path cu : sources.filter(p -> p.toString().endsWith(".cu")).toList()) {
				String name = cu.getFileName().toString().replace(".cu", ".ptx");
				assertThat(Files.readString(out.resolve(name)))
					.as("%s is stale: run src/main/cuda/build-ptx.sh and commit the result", committedPtx(name))
					.isEqualTo(Files.readString(committedPtx(name)));
			}
		}
	}

	@Test
	void thePtxTheEncoderLoadsIsOnTheClassPathNullTerminated() throws IOException {
		byte[] ptx = CudaKernels.ptx();
		assertThat(ptx[ptx.length - 1]).isZero();
		String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
		assertThat(text).contains(".target sm_75");
		for (String kernel : new String[] { "embed_layernorm", "add_layernorm", "gemm_bias", "gemm_bias_gelu",
				"attention", "mean_pool_l2" }) {
			assertThat(text).as(kernel).contains(".entry " + kernel + "(");
		}
	}

	private static Optional<Path> nvcc() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			Path p = Path.of(dir.isEmpty() ? "." : dir, "nvcc");
			if (Files.isExecutable(p)) {
				return Optional.of(p);
			}
		}
		Path standard = Path.of("/usr/local/cuda/bin/nvcc");
		return Files.isExecutable(standard) ? Optional.of(standard) : Optional.empty();
	}

}
