package io.fulcrum.protocol.anthropic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OpenAiToAnthropicRequestTests {

	@Test
	void mapsMinimalRequestWithDefaultMaxTokens() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"model": "fulcrum-smart", "messages": [{"role": "user", "content": "Hello"}]}
				"""), "claude-sonnet-4-5-20250929", 4096);

		assertJson(request, """
				{"model": "claude-sonnet-4-5-20250929", "max_tokens": 4096,
				 "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello"}]}]}
				""");
	}

	@Test
	void prefersMaxCompletionTokensOverMaxTokens() {
		ObjectNode both = OpenAiToAnthropicRequest.map(json("""
				{"max_completion_tokens": 300, "max_tokens": 100, "messages": [{"role": "user", "content": "Hi"}]}
				"""), "m", 4096);
		ObjectNode legacy = OpenAiToAnthropicRequest.map(json("""
				{"max_tokens": 100, "messages": [{"role": "user", "content": "Hi"}]}
				"""), "m", 4096);

		assertThat(both.get("max_tokens").asLong()).isEqualTo(300);
		assertThat(legacy.get("max_tokens").asLong()).isEqualTo(100);
	}

	@Test
	void hoistsSystemAndDeveloperMessagesIntoSystem() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [
				  {"role": "system", "content": "You are terse."},
				  {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
				  {"role": "user", "content": "Hi"}]}
				"""), "m", 1024);

		assertJson(request.get("system"), """
				[{"type": "text", "text": "You are terse."}, {"type": "text", "text": "Answer in French."}]
				""");
		assertJson(request.get("messages"), """
				[{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]
				""");
	}

	@Test
	void sendsSingleSystemMessageAsString() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi"}]}
				"""), "m", 1024);

		assertThat(request.get("system").asString()).isEqualTo("Be kind.");
	}

	@Test
	void mapsImagePartsToBase64AndUrlSources() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": [
				  {"type": "text", "text": "What is in these?"},
				  {"type": "image_url", "image_url": {"url": "data:image/webp;base64,UklGRg==", "detail": "high"}},
				  {"type": "image_url", "image_url": {"url": "https://example.com/dog.png"}}]}]}
				"""), "m", 1024);

		assertJson(request.get("messages"), """
				[{"role": "user", "content": [
				  {"type": "text", "text": "What is in these?"},
				  {"type": "image", "source": {"type": "base64", "media_type": "image/webp", "data": "UklGRg=="}},
				  {"type": "image", "source": {"type": "url", "url": "https://example.com/dog.png"}}]}]
				""");
	}

	@Test
	void mapsToolCallsAndMergesConsecutiveToolResults() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [
				  {"role": "user", "content": "Weather in Paris and Rome?"},
				  {"role": "assistant", "content": null, "tool_calls": [
				    {"id": "call_p", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
				    {"id": "call_r", "type": "function", "function": {"name": "get_weather", "arguments": "not json"}}]},
				  {"role": "tool", "tool_call_id": "call_p", "content": "18C"},
				  {"role": "tool", "tool_call_id": "call_r", "content": [{"type": "text", "text": "21C"}]},
				  {"role": "user", "content": "Which is warmer?"}]}
				"""), "m", 1024);

		assertJson(request.get("messages"), """
				[{"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Rome?"}]},
				 {"role": "assistant", "content": [
				   {"type": "tool_use", "id": "call_p", "name": "get_weather", "input": {"city": "Paris"}},
				   {"type": "tool_use", "id": "call_r", "name": "get_weather", "input": {}}]},
				 {"role": "user", "content": [
				   {"type": "tool_result", "tool_use_id": "call_p", "content": "18C"},
				   {"type": "tool_result", "tool_use_id": "call_r", "content": "21C"},
				   {"type": "text", "text": "Which is warmer?"}]}]
				""");
	}

	@Test
	void mergesConsecutiveSameRoleMessagesAndDropsEmptyText() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [
				  {"role": "user", "content": "First"},
				  {"role": "user", "content": [{"type": "text", "text": "Second"}, {"type": "text", "text": ""}]},
				  {"role": "assistant", "content": ""},
				  {"role": "assistant", "content": "Answer", "tool_calls": []},
				  {"role": "assistant", "content": [{"type": "text", "text": "More"}]}]}
				"""), "m", 1024);

		assertJson(request.get("messages"), """
				[{"role": "user", "content": [{"type": "text", "text": "First"}, {"type": "text", "text": "Second"}]},
				 {"role": "assistant", "content": [{"type": "text", "text": "Answer"}, {"type": "text", "text": "More"}]}]
				""");
	}

	@Test
	void putsToolResultsBeforeTextInMergedUserTurn() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [
				  {"role": "assistant", "content": "x", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
				  {"role": "user", "content": "note"},
				  {"role": "tool", "tool_call_id": "c1", "content": "ok"}]}
				"""), "m", 1024);

		assertJson(request.at("/messages/1/content"), """
				[{"type": "tool_result", "tool_use_id": "c1", "content": "ok"}, {"type": "text", "text": "note"}]
				""");
	}

	@Test
	void mapsSamplingStopUserAndStream() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "temperature": 0.7, "top_p": 0.95, "top_k": 20,
				 "stop": ["END", "  ", "###"], "user": "user-42", "stream": true,
				 "stream_options": {"include_usage": true}, "n": 1, "response_format": {"type": "text"}}
				"""), "m", 1024);

		assertJson(request, """
				{"model": "m", "max_tokens": 1024, "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
				 "temperature": 0.7, "top_p": 0.95, "top_k": 20, "stop_sequences": ["END", "###"],
				 "metadata": {"user_id": "user-42"}, "stream": true}
				""");
	}

	@Test
	void mapsSingleStopStringAndClampsTemperature() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "temperature": 1.8, "stop": "END"}
				"""), "m", 1024);

		assertThat(request.get("temperature").asDouble()).isEqualTo(1.0);
		assertJson(request.get("stop_sequences"), "[\"END\"]");
	}

	@Test
	void mapsToolsAndDefaultsMissingParameters() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "tools": [
				  {"type": "function", "function": {"name": "get_weather", "description": "Weather", "strict": true,
				    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
				  {"type": "function", "function": {"name": "now"}}]}
				"""), "m", 1024);

		assertJson(request.get("tools"), """
				[{"name": "get_weather", "description": "Weather",
				  "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
				 {"name": "now", "input_schema": {"type": "object", "properties": {}}}]
				""");
		assertThat(request.has("tool_choice")).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			"auto"                                                  | true  | {"type": "auto"}
			"required"                                              | true  | {"type": "any"}
			"none"                                                  | true  | {"type": "none"}
			{"type": "function", "function": {"name": "get_weather"}} | true  | {"type": "tool", "name": "get_weather"}
			"required"                                              | false | {"type": "any", "disable_parallel_tool_use": true}
			"none"                                                  | false | {"type": "none"}
			""")
	void mapsToolChoice(String toolChoice, boolean parallel, String expected) {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "tool_choice": %s, "parallel_tool_calls": %s,
				 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}
				""".formatted(toolChoice, parallel)), "m", 1024);

		assertJson(request.get("tool_choice"), expected);
	}

	@Test
	void disablesParallelToolUseWithoutExplicitChoice() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "parallel_tool_calls": false,
				 "tools": [{"type": "function", "function": {"name": "f"}}]}
				"""), "m", 1024);

		assertJson(request.get("tool_choice"), """
				{"type": "auto", "disable_parallel_tool_use": true}
				""");
	}

	@Test
	void dropsToolChoiceWithoutTools() {
		ObjectNode request = OpenAiToAnthropicRequest.map(json("""
				{"messages": [{"role": "user", "content": "Hi"}], "tool_choice": "none", "parallel_tool_calls": false}
				"""), "m", 1024);

		assertThat(request.has("tool_choice")).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{}                                                                                   | messages
			{"messages": []}                                                                     | messages
			{"messages": [{"content": "Hi"}]}                                                    | messages[0].role
			{"messages": [{"role": "function", "name": "f", "content": "Hi"}]}                   | messages[0].role
			{"messages": [{"role": "user", "content": 5}]}                                       | messages[0].content
			{"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]} | messages[0].content[0].type
			{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}     | messages[0].content[0].image_url.url
			{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png,abc"}}]}]} | messages[0].content[0].image_url.url
			{"messages": [{"role": "tool", "content": "x"}]}                                     | messages[0].tool_call_id
			{"messages": [{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f"}}]}]} | messages[0].tool_calls[0].id
			{"messages": [{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {}}]}]} | messages[0].tool_calls[0].function.name
			{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 0}                   | max_tokens
			{"messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 1.5}      | max_completion_tokens
			{"messages": [{"role": "user", "content": "Hi"}], "stop": 3}                         | stop
			{"messages": [{"role": "user", "content": "Hi"}], "stop": ["a", 3]}                  | stop[1]
			{"messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "web_search"}]}  | tools[0].type
			{"messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {}}]} | tools[0].function.name
			{"messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "sometimes"} | tool_choice
			{"messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": {"type": "function"}} | tool_choice.function.name
			""")
	void rejectsUntranslatableRequestNamingTheField(String request, String param) {
		assertThatExceptionOfType(AnthropicTranslationException.class)
			.isThrownBy(() -> OpenAiToAnthropicRequest.map(json(request), "m", 1024))
			.satisfies((ex) -> assertThat(ex.param()).isEqualTo(param));
	}

}
