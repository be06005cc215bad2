package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import jcuda.driver.CUdeviceptr;

/**
 * The device's copy bandwidth, for the GPU checks to put a forward pass's time next to the time its weight bytes
 * take to stream: {@code cuMemcpyDtoD} of 1 GiB back and forth, counting bytes read and written (as
 * shared/gpu/README.md does: about 3.97 TB/s on an H200). Needs a current context and 2 GiB free.
 */
public final class CopyBandwidth {

	/** Bytes of each buffer. */
	public static final long BYTES = 1L << 30;

	/** Copies timed. */
	public static final int COPIES = 20;

	private CopyBandwidth() {
	}

	/** Bytes read and written per second. */
	public static double measure() {
		try (DeviceMemory memory = new DeviceMemory()) {
			CUdeviceptr a = memory.allocate(BYTES, "bandwidth source");
			CUdeviceptr b = memory.allocate(BYTES, "bandwidth target");
			CudaException.check("cuMemsetD32", cuMemsetD32(a, 0x3f800000, BYTES / 4));
			CudaException.check("cuMemcpyDtoD", cuMemcpyDtoD(b, a, BYTES));
			CudaException.check("cuCtxSynchronize", cuCtxSynchronize());
			long t = System.nanoTime();
			for (int i = 0; i < COPIES; i++) {
				CudaException.check("cuMemcpyDtoD", cuMemcpyDtoD(i % 2 == 0 ? b : a, i % 2 == 0 ? a : b, BYTES));
			}
			CudaException.check("cuCtxSynchronize", cuCtxSynchronize());
			double seconds = (System.nanoTime() - t) / 1e9;
			return 2.0 * BYTES * COPIES / seconds;
		}
	}

}
