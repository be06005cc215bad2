package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.IdentityHashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

/**
 * Allocates device memory, counts it, and frees what is left on {@link #close()}. Copies are synchronous (on the
 * legacy default stream, which the kernels also use): a Java array may move once the call returns, so JCuda
 * cannot copy from one asynchronously.
 */
public final class DeviceMemory implements AutoCloseable {

	private final Map<CUdeviceptr, Long> live = new IdentityHashMap<>();

	private long bytes;

	public CUdeviceptr allocate(long size, String what) {
		CUdeviceptr ptr = new CUdeviceptr();
		int result = cuMemAlloc(ptr, Math.max(size, 1));
		if (result != 0) {
			throw new CudaException("cuMemAlloc of " + size + " bytes for " + what + " failed: "
					+ CudaException.errorName(result) + " (" + result + ")");
		}
		this.live.put(ptr, size);
		this.bytes += size;
		return ptr;
	}

	public CUdeviceptr upload(float[] data, String what) {
		CUdeviceptr ptr = allocate((long) data.length * Sizeof.FLOAT, what);
		copyIn(ptr, data, data.length);
		return ptr;
	}

	public void copyIn(CUdeviceptr target, float[] data, int count) {
		CudaException.check("cuMemcpyHtoD", cuMemcpyHtoD(target, Pointer.to(data), (long) count * Sizeof.FLOAT));
	}

	public void copyIn(CUdeviceptr target, int[] data, int count) {
		CudaException.check("cuMemcpyHtoD", cuMemcpyHtoD(target, Pointer.to(data), (long) count * Sizeof.INT));
	}

	public void copyIn(CUdeviceptr target, byte[] data, int count) {
		CudaException.check("cuMemcpyHtoD", cuMemcpyHtoD(target, Pointer.to(data), count));
	}

	public void copyOut(float[] target, CUdeviceptr source, int count) {
		CudaException.check("cuMemcpyDtoH", cuMemcpyDtoH(Pointer.to(target), source, (long) count * Sizeof.FLOAT));
	}

	public void copyOut(int[] target, CUdeviceptr source, int count) {
		CudaException.check("cuMemcpyDtoH", cuMemcpyDtoH(Pointer.to(target), source, (long) count * Sizeof.INT));
	}

	public void free(CUdeviceptr ptr) {
		Long size = this.live.remove(ptr);
		if (size != null) {
			this.bytes -= size;
			CudaException.check("cuMemFree", cuMemFree(ptr));
		}
	}

	/** Bytes allocated now. */
	public long bytes() {
		return this.bytes;
	}

	/** Frees every allocation still held; the first failure is thrown after trying them all. */
	@Override
	public void close() {
		CudaException first = null;
		for (CUdeviceptr ptr : this.live.keySet()) {
			int result = cuMemFree(ptr);
			if (result != 0 && first == null) {
				first = new CudaException("cuMemFree failed: " + CudaException.errorName(result) + " (" + result + ")");
			}
		}
		this.live.clear();
		this.bytes = 0;
		if (first != null) {
			throw first;
		}
	}

}
