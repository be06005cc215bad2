package io.fulcrum.backend.generation;

/** A request cannot fit the model's context window (or the whole cache): refused before it is queued. */
public final class PromptTooLongException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PromptTooLongException(String message) {
		super(message);
	}

}
