package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;

import jcuda.driver.CUdevice;

/**
 * Says whether CUDA is usable here, without failing: on a machine without the driver, loading JCuda's native
 * library throws {@link UnsatisfiedLinkError} (later uses {@link NoClassDefFoundError}), and where the driver has
 * no device {@code cuInit} fails. Every such outcome becomes a reason string. Creates no context.
 */
public final class CudaRuntimeProbe {

	private CudaRuntimeProbe() {
	}

	/** Device 0's name and the driver version, or the reason CUDA cannot be used. Never throws. */
	public static CudaAvailability probe() {
		try {
			int result = cuInit(0);
			if (result != 0) {
				return CudaAvailability.unavailable("cuInit failed: " + CudaException.errorName(result));
			}
			int[] count = new int[1];
			CudaException.check("cuDeviceGetCount", cuDeviceGetCount(count));
			if (count[0] == 0) {
				return CudaAvailability.unavailable("the CUDA driver sees no device");
			}
			CUdevice device = new CUdevice();
			CudaException.check("cuDeviceGet", cuDeviceGet(device, 0));
			int[] version = new int[1];
			CudaException.check("cuDriverGetVersion", cuDriverGetVersion(version));
			return CudaAvailability.available(deviceName(device),
					"driver CUDA " + version[0] / 1000 + "." + version[0] % 1000 / 10 + ", " + count[0] + " device(s)");
		}
		catch (Throwable ex) {
			// UnsatisfiedLinkError, NoClassDefFoundError, CudaException: all mean "not here", none may escape.
			return CudaAvailability.unavailable(describe(ex));
		}
	}

	static String deviceName(CUdevice device) {
		byte[] name = new byte[256];
		CudaException.check("cuDeviceGetName", cuDeviceGetName(name, name.length, device));
		int end = 0;
		while (end < name.length && name[end] != 0) {
			end++;
		}
		return new String(name, 0, end, StandardCharsets.US_ASCII);
	}

	/** One line for a failure to reach CUDA: the error's type and message, and its cause's. */
	static String describe(Throwable ex) {
		StringBuilder reason = new StringBuilder(ex.getClass().getSimpleName()).append(": ").append(ex.getMessage());
		if (ex.getCause() != null && ex.getCause() != ex) {
			reason.append(" (caused by ").append(ex.getCause().getClass().getSimpleName()).append(": ")
				.append(ex.getCause().getMessage()).append(')');
		}
		return reason.toString().replace('\n', ' ');
	}

}
