package io.fulcrum.protocol.anthropic;

/**
 * An {@code error} event in an Anthropic stream: the upstream failed after the response had started, for instance
 * with {@code overloaded_error}, and the stream carries no further content.
 */
public class AnthropicStreamException extends RuntimeException {

	private final String type;

	private final String errorMessage;

	/**
	 * @param type Anthropic's error type, such as {@code overloaded_error}
	 * @param errorMessage the error message the upstream sent
	 */
	public AnthropicStreamException(String type, String errorMessage) {
		super(type + ": " + errorMessage);
		this.type = type;
		this.errorMessage = errorMessage;
	}

	/** Anthropic's error type, such as {@code overloaded_error} or {@code api_error}. */
	public String type() {
		return this.type;
	}

	/** The upstream's message, without the type prefix that {@link #getMessage()} adds. */
	public String errorMessage() {
		return this.errorMessage;
	}

}
