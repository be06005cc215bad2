package io.fulcrum.protocol.anthropic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiToAnthropicResponseTests {

	@Test
	void mapsTextCompletionWithCachedUsage() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
				 "model": "gpt-4.1-2025-04-14",
				 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I help?",
				   "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
				 "usage": {"prompt_tokens": 1200, "completion_tokens": 10, "total_tokens": 1210,
				   "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
				   "completion_tokens_details": {"reasoning_tokens": 0}}}
				"""), "claude-sonnet-4-5");

		assertJson(message, """
				{"id": "msg_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "type": "message", "role": "assistant",
				 "model": "claude-sonnet-4-5", "content": [{"type": "text", "text": "Hello! How can I help?"}],
				 "stop_reason": "end_turn", "stop_sequence": null,
				 "usage": {"input_tokens": 176, "output_tokens": 10,
				   "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1024}}
				""");
	}

	@Test
	void mapsToolCallsToToolUseBlocks() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "chatcmpl-1", "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
				  "role": "assistant", "content": "Let me check.",
				  "tool_calls": [
				    {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}},
				    {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": ""}}]}}],
				 "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70}}
				"""), "m");

		assertJson(message.get("content"), """
				[{"type": "text", "text": "Let me check."},
				 {"type": "tool_use", "id": "call_a", "name": "get_weather", "input": {"city": "Paris"}},
				 {"type": "tool_use", "id": "call_b", "name": "get_time", "input": {}}]
				""");
		assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
		assertJson(message.get("usage"), """
				{"input_tokens": 50, "output_tokens": 20, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
				""");
	}

	@Test
	void fallsBackToEmptyInputForMalformedArguments() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant",
				  "content": null, "tool_calls": [
				    {"id": "call_a", "type": "function", "function": {"name": "f", "arguments": "{\\"city\\": \\"Par"}},
				    {"id": "call_b", "type": "function", "function": {"name": "g", "arguments": "[1, 2]"}}]}}]}
				"""), "m");

		assertJson(message.get("content"), """
				[{"type": "tool_use", "id": "call_a", "name": "f", "input": {}},
				 {"type": "tool_use", "id": "call_b", "name": "g", "input": {}}]
				""");
		assertThat(message.get("stop_reason").asString()).isEqualTo("max_tokens");
	}

	@Test
	void reportsToolUseWhenBackendFinishesToolCallsWithStop() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
				  "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}}]}
				"""), "m");

		assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
	}

	@ParameterizedTest
	@CsvSource({ "stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "content_filter, refusal",
			"function_call, tool_use" })
	void mapsFinishReasonToStopReason(String finishReason, String stopReason) {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "%s", "message": {"role": "assistant", "content": "t"}}]}
				""".formatted(finishReason)), "m");

		assertThat(message.get("stop_reason").asString()).isEqualTo(stopReason);
		assertThat(message.get("stop_sequence").isNull()).isTrue();
	}

	@Test
	void reportsMatchedStopSequenceFromVllm() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "stop_reason": "END",
				  "message": {"role": "assistant", "content": "done"}}]}
				"""), "m");

		assertThat(message.get("stop_reason").asString()).isEqualTo("stop_sequence");
		assertThat(message.get("stop_sequence").asString()).isEqualTo("END");
	}

	@Test
	void reportsMatchedStopSequenceFromSglang() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "matched_stop": "###",
				  "message": {"role": "assistant", "content": "done"}}]}
				"""), "m");

		assertThat(message.get("stop_reason").asString()).isEqualTo("stop_sequence");
		assertThat(message.get("stop_sequence").asString()).isEqualTo("###");
	}

	@Test
	void ignoresTokenIdStopReasonFromVllm() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "stop_reason": 128009,
				  "message": {"role": "assistant", "content": "done"}}]}
				"""), "m");

		assertThat(message.get("stop_reason").asString()).isEqualTo("end_turn");
	}

	@Test
	void mapsRefusalToTextBlock() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "x", "choices": [{"index": 0, "finish_reason": "content_filter",
				  "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]}
				"""), "m");

		assertJson(message.get("content"), """
				[{"type": "text", "text": "I can't help with that."}]
				""");
		assertThat(message.get("stop_reason").asString()).isEqualTo("refusal");
	}

	@Test
	void mapsEmptyCompletionToEmptyContentAndZeroUsage() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": ""}}]}
				"""), "m");

		assertThat(message.get("content").isEmpty()).isTrue();
		assertThat(message.get("id").asString()).startsWith("msg_");
		assertJson(message.get("usage"), """
				{"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
				""");
	}

	@Test
	void keepsIdThatIsAlreadyAMessageId() {
		ObjectNode message = OpenAiToAnthropicResponse.map(json("""
				{"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "choices": [{"index": 0, "finish_reason": "stop",
				  "message": {"role": "assistant", "content": "Hi"}}]}
				"""), "m");

		assertThat(message.get("id").asString()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
	}

}
