package io.fulcrum.backend.encoder.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/** A missing shared library, as the dynamic linker names it inside JCuda's long loading message. */
	private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+: cannot open shared object file[^\\t\\n]*)");

	/**
	 * One short line for a failure to reach CUDA: the error's type and first line, and the library the dynamic
	 * linker could not find ({@code libcuda.so.1} on a machine without the driver). JCuda's own message carries
	 * whole stack traces, which do not belong in a log line or a health check.
	 */
	static String describe(Throwable ex) {
		StringBuilder all = new StringBuilder();
		for (Throwable t = ex; t != null && all.length() < 100_000; t = t.getCause() == t ? null : t.getCause()) {
			all.append(t.getMessage()).append('\n');
		}
		String message = String.valueOf(ex.getMessage());
		int nested = message.indexOf("---(start of nested stack traces)");
		String head = (nested >= 0 ? message.substring(0, nested) : message).lines()
			.findFirst()
			.orElse("")
			.strip();
		StringBuilder reason = new StringBuilder(ex.getClass().getSimpleName()).append(": ").append(head);
		Matcher missing = MISSING_LIBRARY.matcher(all);
		if (missing.find()) {
			reason.append(" (").append(missing.group(1).strip()).append(')');
		}
		return reason.toString();
	}

}
