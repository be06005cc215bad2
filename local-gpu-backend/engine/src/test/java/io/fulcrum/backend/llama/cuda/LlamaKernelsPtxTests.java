package io.fulcrum.backend.llama.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fulcrum.backend.encoder.cuda.PtxModule;
import io.fulcrum.backend.gguf.GgmlType;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Java side launches matches the committed PTX and the .cu file: every kernel exists by name, each launch
 * passes the parameters its kernel declares (count and type), and the launch shapes are the .cu file's constants. (That the PTX is
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
	void everyLaunchPassesWhatItsKernelDeclares() {
		// The device is replaced by a launcher that records each launch; every kernel is launched at least once.
		List<String> launched = new ArrayList<>();
		LlamaKernels kernels = new LlamaKernels((kernel, gx, gy, threads, args) -> {
			launched.add(kernel);
			assertThat(threads % 32).as(kernel).isZero();
			assertThat(threads).as(kernel).isBetween(32, 1024);
			assertThat(gx).as(kernel).isPositive();
			assertThat(gy).as(kernel).isPositive();
			List<String> declared = parameterTypes(kernel);
			assertThat(args).as(kernel + " parameters").hasSameSizeAs(declared);
			for (int i = 0; i < args.length; i++) {
				String type = declared.get(i);
				Object arg = args[i];
				assertThat(arg instanceof CUdeviceptr ? type.equals("u64")
						: arg instanceof Integer ? type.equals("u32") || type.equals("s32")
								: arg instanceof Float && type.equals("f32"))
					.as("%s parameter %d: %s passed for a .%s", kernel, i, arg.getClass().getSimpleName(), type)
					.isTrue();
			}
		});
		CUdeviceptr p = new CUdeviceptr();
		LlamaKernels.StepTables step = new LlamaKernels.StepTables(3, p, p, p, 2);
		LlamaKernels.ModelShape shape = new LlamaKernels.ModelShape(8, 4, 8, 16, 10000f, 0);
		for (GgmlType type : new GgmlType[] { GgmlType.F32, GgmlType.F16, GgmlType.Q8_0 }) {
			DeviceMatrix w = new DeviceMatrix(type, 100, 64, p, type == GgmlType.Q8_0 ? p : null);
			kernels.embed(w, p, p, 3);
			kernels.matmul(w, p, null, p, 3, 64, 100, false);
			kernels.matmul(w, p, p, p, 3, 64, 100, true);
		}
		kernels.rmsnorm(p, null, p, p, 3, 64, 1e-5f);
		kernels.ropeStoreKv(p, step, p, p, shape);
		kernels.pagedAttention(p, step, p, p, p, shape);
		kernels.swiglu(p, p, 3, 172);
		kernels.argmax(p, p, 2, 512);
		assertThat(new LinkedHashSet<>(launched)).containsExactlyInAnyOrderElementsOf(LlamaKernels.KERNELS);
	}

	/** The PTX types of a kernel's parameters ({@code u64}, {@code u32}, {@code f32}...), in order. */
	private static List<String> parameterTypes(String kernel) {
		Matcher m = ENTRY.matcher(ptxText());
		while (m.find()) {
			if (m.group(1).equals(kernel)) {
				List<String> types = new ArrayList<>();
				Matcher p = Pattern.compile("\\.param \\.(\\w+) ").matcher(m.group(2));
				while (p.find()) {
					types.add(p.group(1));
				}
				return types;
			}
		}
		throw new AssertionError(kernel + " is not in the PTX");
	}

	@Test
	void launchShapesAreTheKernelSourcesConstants() throws IOException {
		String cu = Files.readString(SOURCE);
		assertThat(define(cu, "MM_WARPS")).isEqualTo(LlamaKernels.MM_ROWS_PER_BLOCK);
		assertThat(define(cu, "ATT_WARPS") * 32).isEqualTo(LlamaKernels.ATT_THREADS);
		assertThat(define(cu, "ATT_MAX_DIM")).isEqualTo(LlamaKernels.ATT_MAX_HEAD_DIM);
		assertThat(define(cu, "ARGMAX_THREADS")).isEqualTo(LlamaKernels.ARGMAX_THREADS);
		assertThat(define(cu, "TYPE_F32")).isEqualTo(LlamaKernels.typeCode(GgmlType.F32));
		assertThat(define(cu, "TYPE_F16")).isEqualTo(LlamaKernels.typeCode(GgmlType.F16));
		assertThat(define(cu, "TYPE_Q8")).isEqualTo(LlamaKernels.typeCode(GgmlType.Q8_0));
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
