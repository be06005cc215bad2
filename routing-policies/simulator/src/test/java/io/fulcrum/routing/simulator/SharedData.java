package io.fulcrum.routing.simulator;

import java.nio.file.Path;

/**
 * Where the shared public data lives: system property or environment variable {@code FULCRUM_SHARED_DIR}, else
 * {@code ../shared} next to the repository (tests run in the module directory, three levels below it).
 */
public final class SharedData {

	private SharedData() {
	}

	public static Path directory() {
		String configured = System.getProperty("FULCRUM_SHARED_DIR", System.getenv("FULCRUM_SHARED_DIR"));
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		return Path.of("").toAbsolutePath().resolve("../../../shared").normalize();
	}

	public static Path azureConversationTrace() {
		return directory().resolve("data/traces/AzureLLMInferenceTrace_conv.csv");
	}

}
