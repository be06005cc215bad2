package io.fulcrum.protocol.anthropic;

/**
 * A request that cannot be translated because it is invalid: a required field is missing, has the wrong type, or
 * holds a value the target API has no equivalent for. The gateway answers it with a 400
 * {@code invalid_request_error}.
 */
public class AnthropicTranslationException extends RuntimeException {

	private final String param;

	/**
	 * @param param the offending field as a path into the request, such as {@code messages[2].content[0].type}
	 * @param message what is wrong with it, fit to show to the client
	 */
	public AnthropicTranslationException(String param, String message) {
		super(message);
		this.param = param;
	}

	/** The offending field as a path into the request, such as {@code messages[2].content[0].type}. */
	public String param() {
		return this.param;
	}

}
