package io.fulcrum.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.sse.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.accumulateAnthropic;
import static io.fulcrum.protocol.anthropic.Fixtures.accumulateOpenAi;
import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static io.fulcrum.protocol.anthropic.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions composed, as when an Anthropic client reaches Anthropic through Fulcrum, or an OpenAI client
 * reaches an OpenAI backend through Fulcrum's Anthropic endpoint: what goes in must come out.
 */
class RoundTripTests {

	/** Written in the normal form the egress mapper produces: content as block arrays, system as blocks. */
	private static final String ANTHROPIC_REQUEST = """
			{"model": "claude-sonnet-4-5", "max_tokens": 2048,
			 "system": [{"type": "text", "text": "You are a weather bot."}, {"type": "text", "text": "Be brief."}],
			 "messages": [
			   {"role": "user", "content": [
			     {"type": "text", "text": "What's the weather where this photo was taken?"},
			     {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQSkZJRg=="}},
			     {"type": "image", "source": {"type": "url", "url": "https://example.com/map.png"}}]},
			   {"role": "assistant", "content": [
			     {"type": "text", "text": "That is Paris."},
			     {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris", "days": 2}}]},
			   {"role": "user", "content": [
			     {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18C, sunny"},
			     {"type": "text", "text": "And tomorrow?"}]},
			   {"role": "assistant", "content": [{"type": "text", "text": "Let me"}]}],
			 "temperature": 0.5, "top_p": 0.9, "top_k": 50, "stop_sequences": ["END"],
			 "tools": [{"name": "get_weather", "description": "Weather forecast",
			   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}}}],
			 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
			 "metadata": {"user_id": "user-7"}, "stream": true}
			""";

	@Test
	void anthropicRequestSurvivesTripThroughCanonicalForm() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json(ANTHROPIC_REQUEST));
		ObjectNode back = OpenAiToAnthropicRequest.map(chat, "claude-sonnet-4-5", 1);

		assertJson(back, ANTHROPIC_REQUEST);
	}

	@Test
	void openAiRequestSurvivesTripThroughAnthropicForm() {
		String openAi = """
				{"model": "gpt-4.1", "messages": [
				   {"role": "system", "content": "Be brief."},
				   {"role": "user", "content": [{"type": "text", "text": "Describe"},
				     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
				   {"role": "assistant", "content": null, "tool_calls": [
				     {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\":\\"cats\\"}"}}]},
				   {"role": "tool", "tool_call_id": "call_1", "content": "Cats are mammals."},
				   {"role": "assistant", "content": "Cats are mammals."}],
				 "max_tokens": 300, "temperature": 0.3, "stop": ["STOP"], "user": "u-1",
				 "tools": [{"type": "function", "function": {"name": "lookup", "description": "Search",
				   "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
				 "tool_choice": {"type": "function", "function": {"name": "lookup"}}}
				""";

		ObjectNode anthropic = OpenAiToAnthropicRequest.map(json(openAi), "gpt-4.1", 1024);
		ObjectNode back = AnthropicToOpenAiRequest.map(anthropic);

		assertJson(back, openAi);
	}

	@Test
	void anthropicMessageSurvivesTripThroughChatCompletion() {
		String message = """
				{"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
				 "content": [{"type": "text", "text": "Checking."},
				   {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo", "units": ["c", "f"]}}],
				 "stop_reason": "tool_use", "stop_sequence": null,
				 "usage": {"input_tokens": 100, "output_tokens": 25, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 900}}
				""";

		ObjectNode completion = AnthropicToOpenAiResponse.map(json(message), 1L);
		ObjectNode back = OpenAiToAnthropicResponse.map(completion, "claude-sonnet-4-5");

		assertJson(back, message);
	}

	@Test
	void cacheCreationTokensReturnAsInputTokens() {
		// the chat format has no field for tokens written to the cache; they stay billable input
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_c", "model": "m", "content": [], "stop_reason": "end_turn",
				 "usage": {"input_tokens": 10, "cache_creation_input_tokens": 500, "cache_read_input_tokens": 0, "output_tokens": 1}}
				"""), 1L);

		assertThat(OpenAiToAnthropicResponse.map(completion, "m").at("/usage/input_tokens").asLong()).isEqualTo(510);
	}

	@Test
	void chatCompletionSurvivesTripThroughAnthropicMessage() {
		String completion = """
				{"id": "msg_chatcmpl-5", "object": "chat.completion", "created": 7, "model": "m",
				 "choices": [{"index": 0, "logprobs": null, "finish_reason": "length",
				   "message": {"role": "assistant", "content": "Once upon a"}}],
				 "usage": {"prompt_tokens": 40, "completion_tokens": 3, "total_tokens": 43,
				   "prompt_tokens_details": {"cached_tokens": 32}}}
				""";

		ObjectNode message = OpenAiToAnthropicResponse.map(json(completion), "m");
		ObjectNode back = AnthropicToOpenAiResponse.map(message, 7L);

		assertJson(back, completion);
	}

	@Test
	void anthropicStreamSurvivesTripThroughChunks() {
		List<SseEvent> original = sse(AnthropicEventsToOpenAiChunksTests.TOOL_STREAM);
		AnthropicEventsToOpenAiChunks toChunks = new AnthropicEventsToOpenAiChunks(1L);
		OpenAiChunksToAnthropicEvents toEvents = new OpenAiChunksToAnthropicEvents("claude-sonnet-4-5-20250929");
		List<SseEvent> translated = new ArrayList<>();
		for (SseEvent event : original) {
			for (ObjectNode chunk : toChunks.onEvent(event)) {
				translated.addAll(toEvents.onChunk(chunk));
			}
		}
		translated.addAll(toEvents.finish());

		ObjectNode expected = accumulateAnthropic(original);
		ObjectNode actual = accumulateAnthropic(translated);
		// message_start's usage is what the original stream knew at its start; compare the final counts only
		((ObjectNode) expected.get("usage")).put("output_tokens", 89);
		assertJson(actual, expected);
	}

	@Test
	void chunkStreamSurvivesTripThroughAnthropicEvents() {
		List<JsonNode> original = Fixtures.lines("""
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"Sure."},"logprobs":null,"finish_reason":null}]}
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"f","arguments":""}}]},"logprobs":null,"finish_reason":null}]}
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]},"logprobs":null,"finish_reason":null}]}
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}
				{"id":"chatcmpl-r","object":"chat.completion.chunk","created":5,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":0}}}
				""");
		OpenAiChunksToAnthropicEvents toEvents = new OpenAiChunksToAnthropicEvents("m");
		AnthropicEventsToOpenAiChunks toChunks = new AnthropicEventsToOpenAiChunks(5L);
		List<ObjectNode> translated = new ArrayList<>();
		for (JsonNode chunk : original) {
			for (SseEvent event : toEvents.onChunk(chunk)) {
				translated.addAll(toChunks.onEvent(event));
			}
		}
		for (SseEvent event : toEvents.finish()) {
			translated.addAll(toChunks.onEvent(event));
		}

		ObjectNode actual = accumulateOpenAi(translated);
		assertJson(actual, """
				{"id": "msg_chatcmpl-r", "model": "m", "content": "Sure.", "finish_reason": "tool_calls",
				 "tool_calls": [{"id": "call_x", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\":1}"}}],
				 "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13, "prompt_tokens_details": {"cached_tokens": 0}}}
				""");
	}

}
