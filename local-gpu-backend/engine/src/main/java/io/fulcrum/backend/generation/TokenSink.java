package io.fulcrum.backend.generation;

/**
 * Receives one generation's output. Called on the engine thread, so implementations must only hand the data on
 * (to a reactive sink, a queue) and never block: every running request waits while they run.
 */
public interface TokenSink {

	/**
	 * A token was generated (end-of-generation tokens are not passed here).
	 * @return true to end the generation here with {@link FinishReason#STOP} (a stop sequence matched)
	 */
	boolean onToken(int token);

	/** The generation ended; called exactly once, unless {@link #onError} is. */
	void onFinish(FinishReason reason, GenerationUsage usage);

	/** The engine failed while running this generation; called at most once, instead of {@link #onFinish}. */
	void onError(RuntimeException error, GenerationUsage usage);

}
