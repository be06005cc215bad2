package io.fulcrum.simulator.wire;

import tools.jackson.databind.JsonNode;

/**
 * One provider's chat API: OpenAI's Chat Completions or Anthropic's Messages. Parses requests and renders answers;
 * the simulated text is passed in.
 */
public interface ChatDialect {

	/** The provider's error shape. */
	ErrorFormat errors();

	/**
	 * Validates a parsed request body.
	 * @param body the request's JSON
	 * @return what the simulator needs from it
	 * @throws InvalidRequestException when a required field is missing or a field has the wrong type
	 */
	ChatRequest parse(JsonNode body);

	/**
	 * Renders a complete, non-streamed answer.
	 * @param request the request answered
	 * @param text the generated text
	 * @param outputTokens the tokens of {@code text}
	 * @param stopReason why the generation ended
	 * @param reportUsage whether to include token usage
	 * @return the JSON body
	 */
	byte[] completion(ChatRequest request, String text, int outputTokens, StopReason stopReason, boolean reportUsage);

	/**
	 * Starts rendering a streamed answer.
	 * @param request the request answered
	 * @param reportUsage whether usage may be reported (a profile can suppress it)
	 * @return the renderer of the stream's events
	 */
	ChatStream stream(ChatRequest request, boolean reportUsage);

}
