package io.fulcrum.backend.generation;

/**
 * Receives one generation's text as it is produced, stop sequences already removed. Called on the engine thread:
 * implementations must hand the text on and never block.
 */
public interface TextListener {

	/** More text (never empty). */
	void text(String delta);

	/** The generation ended; the last text came before this. */
	void finished(FinishReason reason, GenerationUsage usage);

	/** The engine failed while running this generation. */
	void failed(RuntimeException error, GenerationUsage usage);

}
