package io.fulcrum.simulator;

import org.jspecify.annotations.Nullable;

/**
 * How to start a {@link ProviderSimulator}.
 *
 * @param host the address to bind, {@code 127.0.0.1} by default
 * @param port the port to bind, 0 for a free one
 * @param defaultProfile the profile of models without one of their own
 * @param apiKey when set, requests must carry it as {@code Authorization: Bearer} or {@code x-api-key}, else get
 * HTTP 401; {@code null} accepts any request
 */
public record SimulatorOptions(String host, int port, ModelProfile defaultProfile, @Nullable String apiKey) {

	public SimulatorOptions {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be between 0 and 65535");
		}
	}

	/** Loopback, a free port, {@link ModelProfile#DEFAULT}, no API key. */
	public static SimulatorOptions defaults() {
		return new SimulatorOptions("127.0.0.1", 0, ModelProfile.DEFAULT, null);
	}

	public SimulatorOptions withHost(String host) {
		return new SimulatorOptions(host, this.port, this.defaultProfile, this.apiKey);
	}

	public SimulatorOptions withPort(int port) {
		return new SimulatorOptions(this.host, port, this.defaultProfile, this.apiKey);
	}

	public SimulatorOptions withDefaultProfile(ModelProfile defaultProfile) {
		return new SimulatorOptions(this.host, this.port, defaultProfile, this.apiKey);
	}

	public SimulatorOptions withApiKey(@Nullable String apiKey) {
		return new SimulatorOptions(this.host, this.port, this.defaultProfile, apiKey);
	}

}
