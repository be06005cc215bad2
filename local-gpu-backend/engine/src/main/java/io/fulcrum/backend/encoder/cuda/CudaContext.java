package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;

/**
 * One CUDA context on one device, and the thread it belongs to. The driver makes a new context current on the
 * thread that creates it; every later call that uses it must come from that thread, so {@link #checkThread()}
 * guards the entry points. Public for the other CUDA models of the engine (the Llama decoder). {@link #close()} may come from another thread: it makes the context current there
 * first, since freeing memory needs a current context.
 */
public final class CudaContext implements AutoCloseable {

	private final int ordinal;

	private final String deviceName;

	private final OwningThread owner;

	private final CUcontext context = new CUcontext();

	private boolean closed;

	private CudaContext(int ordinal, String deviceName, OwningThread owner) {
		this.ordinal = ordinal;
		this.deviceName = deviceName;
		this.owner = owner;
	}

	/** Creates a context on device {@code ordinal}, current on (and owned by) the calling thread. */
	public static CudaContext create(int ordinal) {
		try {
			CudaException.check("cuInit", cuInit(0));
			int[] count = new int[1];
			CudaException.check("cuDeviceGetCount", cuDeviceGetCount(count));
			if (ordinal < 0 || ordinal >= count[0]) {
				throw new CudaException("CUDA device " + ordinal + " does not exist: the driver sees " + count[0]);
			}
			CUdevice device = new CUdevice();
			CudaException.check("cuDeviceGet", cuDeviceGet(device, ordinal));
			CudaContext c = new CudaContext(ordinal, CudaRuntimeProbe.deviceName(device), OwningThread.current());
			CudaException.check("cuCtxCreate", cuCtxCreate(c.context, 0, device));
			return c;
		}
		catch (CudaException ex) {
			throw ex;
		}
		catch (LinkageError ex) {
			// No driver or no JCuda native library for this platform: a clear exception, not a crash.
			throw new CudaException("CUDA is not usable on this machine: " + CudaRuntimeProbe.describe(ex), ex);
		}
	}

	/** Throws unless the calling thread is the one that created the context. */
	public void checkThread() {
		if (this.closed) {
			throw new IllegalStateException("the CUDA context of " + describe() + " is closed");
		}
		this.owner.check("the CUDA context of " + describe());
	}

	/** Waits for all work on the context; kernel faults surface here. */
	public void synchronize() {
		CudaException.check("cuCtxSynchronize (after the forward pass's kernels)", cuCtxSynchronize());
	}

	/** {@code cuda:0 NVIDIA H200}. */
	public String describe() {
		return "cuda:" + this.ordinal + " " + this.deviceName;
	}

	/** Makes the context current on the calling thread, for closing from a thread other than the owner. */
	public void makeCurrent() {
		CudaException.check("cuCtxSetCurrent", cuCtxSetCurrent(this.context));
	}

	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			CudaException.check("cuCtxDestroy", cuCtxDestroy(this.context));
		}
	}

}
