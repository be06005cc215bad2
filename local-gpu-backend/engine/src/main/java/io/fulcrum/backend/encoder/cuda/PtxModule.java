package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import org.jspecify.annotations.Nullable;

/**
 * A PTX module from the classpath, loaded into the calling thread's current context (the driver JIT-compiles it for
 * the device), its kernels looked up by name and launched on the legacy default stream, so that the synchronous
 * copies before and after a forward pass order against them. Shared by the BERT encoder's and the Llama decoder's
 * kernels.
 */
public final class PtxModule implements AutoCloseable {

	private final String resource;

	private final CUmodule module = new CUmodule();

	private boolean loaded;

	/** Loads {@code resource} (an absolute classpath path) into the current context. */
	public PtxModule(String resource) {
		this.resource = resource;
		CudaException.check("cuModuleLoadData(" + resource + ")", cuModuleLoadData(this.module, ptx(resource)));
		this.loaded = true;
	}

	/** The PTX text of {@code resource}, null-terminated as cuModuleLoadData requires of a PTX image. */
	public static byte[] ptx(String resource) {
		try (InputStream in = PtxModule.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("PTX resource " + resource + " is missing from the classpath");
			}
			byte[] text = in.readAllBytes();
			return Arrays.copyOf(text, text.length + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + resource, ex);
		}
	}

	/** The kernel {@code name} ({@code extern "C"} in the .cu file). */
	public CUfunction function(String name) {
		CUfunction f = new CUfunction();
		CudaException.check("cuModuleGetFunction(" + name + ") in " + this.resource,
				cuModuleGetFunction(f, this.module, name));
		return f;
	}

	/**
	 * Launches {@code function} on a {@code gx x gy x gz} grid of 1-D blocks of {@code threads}; {@code args} are
	 * the kernel's parameters in order: {@link CUdeviceptr} (a null pointer is {@code new CUdeviceptr()}),
	 * {@link Integer} or {@link Float}.
	 */
	public static void launch(String name, CUfunction function, int gx, int gy, int gz, int threads, int sharedBytes,
			Object... args) {
		launchOn(null, name, function, gx, gy, gz, threads, sharedBytes, args);
	}

	/** {@link #launch} on {@code stream} (null: the legacy default stream), e.g. one being captured into a graph. */
	public static void launchOn(@Nullable CUstream stream, String name, CUfunction function, int gx, int gy, int gz,
			int threads, int sharedBytes, Object... args) {
		Pointer[] params = new Pointer[args.length];
		for (int i = 0; i < args.length; i++) {
			Object arg = args[i];
			if (arg instanceof CUdeviceptr p) {
				params[i] = Pointer.to(p);
			}
			else if (arg instanceof Integer v) {
				params[i] = Pointer.to(new int[] { v });
			}
			else if (arg instanceof Float v) {
				params[i] = Pointer.to(new float[] { v });
			}
			else {
				throw new IllegalArgumentException("kernel " + name + ": parameter " + i + " is a "
						+ arg.getClass().getSimpleName() + ", not a device pointer, int or float");
			}
		}
		CudaException.check("cuLaunchKernel(" + name + ")", cuLaunchKernel(function, gx, gy, gz, threads, 1, 1,
				sharedBytes, stream, Pointer.to(params), null));
	}

	@Override
	public void close() {
		if (this.loaded) {
			this.loaded = false;
			CudaException.check("cuModuleUnload(" + this.resource + ")", cuModuleUnload(this.module));
		}
	}

}
