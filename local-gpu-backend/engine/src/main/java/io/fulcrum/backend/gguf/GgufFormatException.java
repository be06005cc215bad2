package io.fulcrum.backend.gguf;

/** A GGUF file that is malformed, or uses something this engine does not support; the message says which. */
public final class GgufFormatException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public GgufFormatException(String message) {
		super(message);
	}

}
