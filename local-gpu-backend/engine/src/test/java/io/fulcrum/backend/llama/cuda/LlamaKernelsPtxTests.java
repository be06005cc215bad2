package io.fulcrum.backend.llama.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fulcrum.backend.encoder.cuda.PtxModule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Java side launches matches the committed PTX and the .cu file: every kernel exists by name with the
 * number of parameters the launch passes, and the launch shapes are the .cu file's constants. (That the PTX is
 * what nvcc makes of the .cu is CudaPtxUpToDateTests'.)
 */
class LlamaKernelsPtxTests {

	private static final Path SOURCE = Path.of("src/main/cuda/llama_kernels.cu");

	private static final Pattern ENTRY = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)");

	@Test
	void everyLaunchedKernelIsInThePtxAndNoOtherIs() {
		String ptx = ptxText();
		assertThat(ptx).contains(".target sm_75");
		Set<String> entries = new LinkedHashSet<>();
		Matcher m = ENTRY.matcher(ptx);
		while (m.find()) {
			entries.add(m.group(1));
		}
		assertThat(entries).containsExactlyInAnyOrderElementsOf(LlamaKernels.KERNELS);
	}

	@Test
	void eachKernelTakesTheNumberOfParametersItsLaunchPasses() {
		// Counted from the launch calls in LlamaKernels; a parameter added on one side only fails here.
		assertParameters("embed", 6);
		assertParameters("rmsnorm", 6);
		for (String matmul : new String[] { "matmul_f32", "matmul_f16", "matmul_q8" }) {
			assertParameters(matmul, 11);
		}
		assertParameters("rope_store_kv", 13);
		assertParameters("paged_attention", 13);
		assertParameters("swiglu", 4);
		assertParameters("argmax", 3);
	}

	@Test
	void launchShapesAreTheKernelSourcesConstants() throws IOException {
		String cu = Files.readString(SOURCE);
		assertThat(define(cu, "MM_WARPS")).isEqualTo(LlamaKernels.MM_ROWS_PER_BLOCK);
		assertThat(define(cu, "ATT_WARPS") * 32).isEqualTo(LlamaKernels.ATT_THREADS);
		assertThat(define(cu, "ATT_MAX_DIM")).isEqualTo(LlamaKernels.ATT_MAX_HEAD_DIM);
		assertThat(define(cu, "ARGMAX_THREADS")).isEqualTo(LlamaKernels.ARGMAX_THREADS);
		assertThat(define(cu, "TYPE_F32")).isEqualTo(LlamaKernels.typeCode(io.fulcrum.backend.gguf.GgmlType.F32));
		assertThat(define(cu, "TYPE_F16")).isEqualTo(LlamaKernels.typeCode(io.fulcrum.backend.gguf.GgmlType.F16));
		assertThat(define(cu, "TYPE_Q8")).isEqualTo(LlamaKernels.typeCode(io.fulcrum.backend.gguf.GgmlType.Q8_0));
		assertThat(define(cu, "ROPE_ADJACENT")).isZero();
		assertThat(define(cu, "ROPE_HALF")).isEqualTo(1);
	}

	private static void assertParameters(String kernel, int count) {
		Matcher m = ENTRY.matcher(ptxText());
		while (m.find()) {
			if (m.group(1).equals(kernel)) {
				assertThat(m.group(2).split(",")).as(kernel).hasSize(count);
				return;
			}
		}
		throw new AssertionError(kernel + " is not in the PTX");
	}

	private static int define(String cu, String name) {
		Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(cu);
		assertThat(m.find()).as("#define %s in %s", name, SOURCE).isTrue();
		return Integer.parseInt(m.group(1));
	}

	private static String ptxText() {
		byte[] ptx = PtxModule.ptx(LlamaKernels.PTX_RESOURCE);
		assertThat(ptx[ptx.length - 1]).isZero();
		return new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
	}

}
