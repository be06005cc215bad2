package io.fulcrum.backend.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds the real model files that tests run against: {@code $FULCRUM_SHARED_DIR/models} (which {@code .ci/run} sets),
 * else a {@code shared/models} folder beside the repository or one of its parents. Where a file is absent the test
 * is skipped with a message saying so; CI always has the files.
 */
public final class SharedModels {

	private SharedModels() {
	}

	/** {@code stories260K.gguf}: Karpathy's 260K-parameter TinyStories Llama, all F32. */
	public static Path stories260K() {
		return require("stories260K.gguf");
	}

	/** {@code stories260K.greedy.txt}: llama2.c's greedy output from BOS for that model. */
	public static Path stories260KGreedy() {
		return require("stories260K.greedy.txt");
	}

	private static Path require(String name) {
		Path models = modelsDirectory();
		Path file = models == null ? null : models.resolve(name);
		assumeTrue(file != null && Files.isRegularFile(file), () -> name + " not found: set FULCRUM_SHARED_DIR to the"
				+ " folder holding models/" + name + " (.ci/run points it at ../shared)");
		return file;
	}

	private static @Nullable Path modelsDirectory() {
		String configured = System.getenv("FULCRUM_SHARED_DIR");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured, "models");
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolveSibling("shared").resolve("models");
			if (Files.isDirectory(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
