package io.fulcrum.backend.encoder.cuda;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What {@link CudaRuntimeProbe} found: the first device's name, or why CUDA is unusable.
 *
 * @param deviceName the name of device 0 ({@code NVIDIA H200}) when CUDA works, else null
 * @param detail the driver version when CUDA works, else the reason it does not
 */
public record CudaAvailability(@Nullable String deviceName, String detail) {

	static CudaAvailability available(String deviceName, String detail) {
		return new CudaAvailability(deviceName, detail);
	}

	static CudaAvailability unavailable(String reason) {
		return new CudaAvailability(null, reason);
	}

	/** True when a CUDA device can be used. */
	public boolean isAvailable() {
		return this.deviceName != null;
	}

	/** The device's name, empty when CUDA is unusable. */
	public Optional<String> device() {
		return Optional.ofNullable(this.deviceName);
	}

}
