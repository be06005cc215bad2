package io.fulcrum.backend.generation;

/** Why a generation ended. */
public enum FinishReason {

	/** The model produced its end-of-generation token, or the text reached a stop sequence. */
	STOP("stop"),

	/** {@code max_tokens} were generated, or the context window is full. */
	LENGTH("length"),

	/** The caller cancelled (its client went away). */
	CANCELLED("cancelled"),

	/** The engine failed while running it. */
	ERROR("error");

	private final String wireName;

	FinishReason(String wireName) {
		this.wireName = wireName;
	}

	/** OpenAI's {@code finish_reason} value. */
	public String wireName() {
		return this.wireName;
	}

}
