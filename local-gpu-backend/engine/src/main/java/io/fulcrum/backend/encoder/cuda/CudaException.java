package io.fulcrum.backend.encoder.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * A CUDA driver call failed, or CUDA cannot be used on this machine at all. The message names the call and the
 * driver's error name ({@code cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (2)}).
 */
public class CudaException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CudaException(String message) {
		super(message);
	}

	public CudaException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Throws unless {@code result} is {@code CUDA_SUCCESS}; {@code call} names the driver function. */
	public static void check(String call, int result) {
		if (result != CUresult.CUDA_SUCCESS) {
			throw new CudaException(call + " failed: " + errorName(result) + " (" + result + ")");
		}
	}

	/** The driver's name for a result code, or JCuda's when the driver does not know it. */
	public static String errorName(int result) {
		try {
			String[] name = new String[1];
			if (JCudaDriver.cuGetErrorName(result, name) == CUresult.CUDA_SUCCESS && name[0] != null) {
				return name[0];
			}
		}
		catch (Throwable ignored) {
			// the driver library itself may be what is missing; JCuda's table still names the code
		}
		return CUresult.stringFor(result);
	}

}
