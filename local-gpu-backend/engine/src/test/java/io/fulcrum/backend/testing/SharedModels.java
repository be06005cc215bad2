package io.fulcrum.backend.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real model files tests run against, which live outside the repository in the shared folder's
 * {@code models/}: the folder {@code FULCRUM_SHARED_DIR} names, else a {@code shared/models} beside the working
 * directory or one of its parents (CI and developer machines have the repository's sibling {@code ../shared}).
 * Where a file is absent the calling test is aborted (skipped) with a message that says what is missing and where it
 * was looked for.
 */
public final class SharedModels {

	/** The environment variable that names the shared folder (the one holding {@code models/}). */
	public static final String SHARED_DIR_VARIABLE = "FULCRUM_SHARED_DIR";

	private SharedModels() {
	}

	/** llama2.c's stories260K converted to GGUF (a Llama-architecture model with a SentencePiece vocabulary). */
	public static Path stories260K() {
		return model("stories260K.gguf");
	}

	/** llama2.c's greedy output from BOS for stories260K (256 positions), the reference a decoder must reproduce. */
	public static Path stories260KGreedy() {
		return model("stories260K.greedy.txt");
	}

	/** The named file in the shared models folder, or the test is skipped (aborted) with a clear message. */
	public static Path model(String fileName) {
		String configured = System.getenv(SHARED_DIR_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			Path file = Path.of(configured).resolve("models").resolve(fileName);
			Assumptions.assumeTrue(Files.isRegularFile(file), () -> "skipped: " + file + " does not exist ("
					+ SHARED_DIR_VARIABLE + "=" + configured + " should hold models/" + fileName + ")");
			return file;
		}
		Path start = Path.of("").toAbsolutePath();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path file = dir.resolve("shared").resolve("models").resolve(fileName);
			if (Files.isRegularFile(file)) {
				return file;
			}
		}
		return Assumptions.abort("skipped: no shared/models/" + fileName + " found from " + start + " upwards, and "
				+ SHARED_DIR_VARIABLE + " is not set (point it at the folder holding models/)");
	}

}
