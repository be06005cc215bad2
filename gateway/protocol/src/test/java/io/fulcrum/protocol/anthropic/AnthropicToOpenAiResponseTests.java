package io.fulcrum.protocol.anthropic;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

class AnthropicToOpenAiResponseTests {

	@Test
	void mapsTextMessageWithCacheUsage() {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
				 "model": "claude-sonnet-4-5-20250929",
				 "content": [{"type": "text", "text": "Hello!"}],
				 "stop_reason": "end_turn", "stop_sequence": null,
				 "usage": {"input_tokens": 12, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 2000,
				   "output_tokens": 6, "service_tier": "standard"}}
				"""), 1741569952L);

		assertJson(completion, """
				{"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "object": "chat.completion", "created": 1741569952,
				 "model": "claude-sonnet-4-5-20250929",
				 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"},
				   "logprobs": null, "finish_reason": "stop"}],
				 "usage": {"prompt_tokens": 2112, "completion_tokens": 6, "total_tokens": 2118,
				   "prompt_tokens_details": {"cached_tokens": 2000}}}
				""");
	}

	@Test
	void stampsCurrentTime() {
		long before = Instant.now().getEpochSecond();

		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_1", "model": "m", "content": [], "stop_reason": "end_turn", "usage": {}}
				"""));

		assertThat(completion.get("created").asLong()).isBetween(before, Instant.now().getEpochSecond());
	}

	@Test
	void mapsToolUseToToolCallsWithNullContent() {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_2", "model": "m", "stop_reason": "tool_use",
				 "content": [
				   {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"location": "San Francisco, CA", "unit": "celsius"}},
				   {"type": "tool_use", "id": "toolu_01B", "name": "get_time", "input": {}}],
				 "usage": {"input_tokens": 10, "output_tokens": 30}}
				"""), 1L);

		assertJson(completion.at("/choices/0"), """
				{"index": 0, "logprobs": null, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
				  "tool_calls": [
				    {"id": "toolu_01A", "type": "function",
				     "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}},
				    {"id": "toolu_01B", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]}}
				""");
	}

	@Test
	void joinsTextBlocksAndReportsThinkingAsReasoningContent() {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_3", "model": "m", "stop_reason": "tool_use", "content": [
				  {"type": "thinking", "thinking": "The user wants weather.", "signature": "EqQBCgIYAh"},
				  {"type": "redacted_thinking", "data": "abc"},
				  {"type": "text", "text": "According to the docs, ", "citations": [{"type": "char_location"}]},
				  {"type": "text", "text": "it is sunny."},
				  {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": [1, 2]}}],
				 "usage": {"input_tokens": 1, "output_tokens": 2}}
				"""), 1L);

		assertJson(completion.at("/choices/0/message"), """
				{"role": "assistant", "content": "According to the docs, it is sunny.",
				 "reasoning_content": "The user wants weather.",
				 "tool_calls": [{"id": "toolu_1", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\":[1,2]}"}}]}
				""");
	}

	@Test
	void mapsEmptyContentToEmptyString() {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_4", "model": "m", "content": [], "stop_reason": "max_tokens", "usage": {"input_tokens": 5, "output_tokens": 0}}
				"""), 1L);

		assertThat(completion.at("/choices/0/message/content").asString()).isEmpty();
		assertThat(completion.at("/choices/0/finish_reason").asString()).isEqualTo("length");
	}

	@ParameterizedTest
	@CsvSource({ "end_turn, stop", "stop_sequence, stop", "max_tokens, length", "tool_use, tool_calls",
			"refusal, content_filter", "pause_turn, stop", "model_context_window_exceeded, length" })
	void mapsStopReasonToFinishReason(String stopReason, String finishReason) {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_5", "model": "m", "content": [{"type": "text", "text": "x"}], "stop_reason": "%s", "usage": {}}
				""".formatted(stopReason)), 1L);

		assertThat(completion.at("/choices/0/finish_reason").asString()).isEqualTo(finishReason);
	}

	@Test
	void mapsMissingUsageToZeros() {
		ObjectNode completion = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_6", "model": "m", "content": [{"type": "text", "text": "x"}], "stop_reason": "end_turn"}
				"""), 1L);

		assertJson(completion.get("usage"), """
				{"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "prompt_tokens_details": {"cached_tokens": 0}}
				""");
	}

}
