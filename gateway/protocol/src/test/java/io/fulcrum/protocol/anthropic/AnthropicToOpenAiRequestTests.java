package io.fulcrum.protocol.anthropic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AnthropicToOpenAiRequestTests {

	@Test
	void mapsMinimalRequest() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "claude-sonnet-4-5", "max_tokens": 1024,
				 "messages": [{"role": "user", "content": "Hello, Claude"}]}
				"""));

		assertJson(chat, """
				{"model": "claude-sonnet-4-5",
				 "messages": [{"role": "user", "content": "Hello, Claude"}],
				 "max_tokens": 1024}
				""");
	}

	@Test
	void mapsSystemStringToLeadingSystemMessage() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "system": "You are terse.",
				 "messages": [{"role": "user", "content": "Hi"}]}
				"""));

		assertJson(chat.get("messages"), """
				[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi"}]
				""");
	}

	@Test
	void mapsSystemBlocksToOneSystemMessageDroppingCacheControl() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10,
				 "system": [{"type": "text", "text": "You are a pirate."},
				            {"type": "text", "text": "Long policy text", "cache_control": {"type": "ephemeral"}}],
				 "messages": [{"role": "user", "content": "Hi"}]}
				"""));

		assertJson(chat.get("messages").get(0), """
				{"role": "system", "content": [{"type": "text", "text": "You are a pirate."},
				                               {"type": "text", "text": "Long policy text"}]}
				""");
	}

	@Test
	void mapsSingleTextBlockToStringContent() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10,
				 "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]}]}
				"""));

		assertJson(chat.get("messages"), """
				[{"role": "user", "content": "Hi"}]
				""");
	}

	@Test
	void mapsBase64AndUrlImagesToImageUrlParts() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [
				  {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
				  {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
				  {"type": "text", "text": "Compare these."}]}]}
				"""));

		assertJson(chat.get("messages"), """
				[{"role": "user", "content": [
				  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
				  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
				  {"type": "text", "text": "Compare these."}]}]
				""");
	}

	@Test
	void mapsToolUseAndToolResultConversation() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [
				  {"role": "user", "content": "Weather in Paris and Rome?"},
				  {"role": "assistant", "content": [
				    {"type": "thinking", "thinking": "Two lookups.", "signature": "sig"},
				    {"type": "text", "text": "Checking both."},
				    {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}},
				    {"type": "tool_use", "id": "toolu_02", "name": "get_weather", "input": {"city": "Rome", "units": ["c"]}}]},
				  {"role": "user", "content": [
				    {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18C sunny"},
				    {"type": "tool_result", "tool_use_id": "toolu_02", "is_error": false,
				     "content": [{"type": "text", "text": "21C"}, {"type": "text", "text": "clear"}]},
				    {"type": "text", "text": "Answer in one line."}]}]}
				"""));

		assertJson(chat.get("messages"), """
				[{"role": "user", "content": "Weather in Paris and Rome?"},
				 {"role": "assistant", "content": "Checking both.", "tool_calls": [
				   {"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
				   {"id": "toolu_02", "type": "function",
				    "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\",\\"units\\":[\\"c\\"]}"}}]},
				 {"role": "tool", "tool_call_id": "toolu_01", "content": "18C sunny"},
				 {"role": "tool", "tool_call_id": "toolu_02", "content": "21C\\nclear"},
				 {"role": "user", "content": "Answer in one line."}]
				""");
	}

	@Test
	void mapsAssistantTurnWithOnlyToolUseToNullContent() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [
				  {"role": "user", "content": "Time?"},
				  {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_9", "name": "now", "input": {}}]},
				  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_9"}]}]}
				"""));

		assertJson(chat.get("messages").get(1), """
				{"role": "assistant", "content": null,
				 "tool_calls": [{"id": "toolu_9", "type": "function", "function": {"name": "now", "arguments": "{}"}}]}
				""");
		assertJson(chat.get("messages").get(2), """
				{"role": "tool", "tool_call_id": "toolu_9", "content": ""}
				""");
		assertThat(chat.get("messages").size()).isEqualTo(3);
	}

	@Test
	void movesImagesFromToolResultsIntoFollowingUserMessage() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [
				  {"role": "user", "content": "Screenshot please"},
				  {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_s", "name": "screenshot", "input": {}}]},
				  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_s", "content": [
				    {"type": "text", "text": "captured"},
				    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/"}}]}]}]}
				"""));

		assertJson(chat.get("messages").get(2), """
				{"role": "tool", "tool_call_id": "toolu_s", "content": "captured"}
				""");
		assertJson(chat.get("messages").get(3), """
				{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/"}}]}
				""");
	}

	@Test
	void mapsSamplingStopStreamAndUser() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 512, "temperature": 0.2, "top_p": 0.9, "top_k": 40,
				 "stop_sequences": ["\\n\\nHuman:", "END"], "stream": true,
				 "metadata": {"user_id": "user-42"}, "thinking": {"type": "disabled"},
				 "messages": [{"role": "user", "content": "Hi"}]}
				"""));

		assertJson(chat, """
				{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 512,
				 "temperature": 0.2, "top_p": 0.9, "top_k": 40, "stop": ["\\n\\nHuman:", "END"],
				 "stream": true, "stream_options": {"include_usage": true}, "user": "user-42"}
				""");
	}

	@Test
	void mapsStreamFalseWithoutStreamOptions() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 5, "stream": false, "messages": [{"role": "user", "content": "Hi"}]}
				"""));

		assertThat(chat.get("stream").booleanValue()).isFalse();
		assertThat(chat.has("stream_options")).isFalse();
	}

	@Test
	void mapsToolsToFunctions() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}],
				 "tools": [
				   {"name": "get_weather", "description": "Current weather",
				    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
				    "cache_control": {"type": "ephemeral"}},
				   {"type": "custom", "name": "noop", "input_schema": {"type": "object"}}]}
				"""));

		assertJson(chat.get("tools"), """
				[{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
				   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
				 {"type": "function", "function": {"name": "noop", "parameters": {"type": "object"}}}]
				""");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"type": "auto"}                                    | "auto"
			{"type": "any"}                                     | "required"
			{"type": "none"}                                    | "none"
			{"type": "tool", "name": "get_weather"}             | {"type": "function", "function": {"name": "get_weather"}}
			""")
	void mapsToolChoice(String anthropic, String openAi) {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}],
				 "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}], "tool_choice": %s}
				""".formatted(anthropic)));

		assertJson(chat.get("tool_choice"), openAi);
		assertThat(chat.has("parallel_tool_calls")).isFalse();
	}

	@Test
	void mapsDisabledParallelToolUse() {
		ObjectNode chat = AnthropicToOpenAiRequest.map(json("""
				{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}],
				 "tools": [{"name": "t", "input_schema": {"type": "object"}}],
				 "tool_choice": {"type": "auto", "disable_parallel_tool_use": true}}
				"""));

		assertThat(chat.get("parallel_tool_calls").booleanValue()).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			[1, 2]                                                                      | body
			{"max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}         | model
			{"model": 7, "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]} | model
			{"model": "m", "messages": [{"role": "user", "content": "Hi"}]}             | max_tokens
			{"model": "m", "max_tokens": 0, "messages": [{"role": "user", "content": "Hi"}]} | max_tokens
			{"model": "m", "max_tokens": "10", "messages": [{"role": "user", "content": "Hi"}]} | max_tokens
			{"model": "m", "max_tokens": 10}                                            | messages
			{"model": "m", "max_tokens": 10, "messages": []}                            | messages
			{"model": "m", "max_tokens": 10, "messages": "Hi"}                          | messages
			{"model": "m", "max_tokens": 10, "messages": [{"role": "system", "content": "Hi"}]} | messages[0].role
			{"model": "m", "max_tokens": 10, "messages": [{"content": "Hi"}]}           | messages[0].role
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user"}]}            | messages[0].content
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "document", "source": {}}]}]} | messages[0].content[0].type
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"text": "no type"}]}]} | messages[0].content[0].type
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "tool_use", "id": "x", "name": "y", "input": {}}]}]} | messages[0].content[0].type
			{"model": "m", "max_tokens": 10, "messages": [{"role": "assistant", "content": [{"type": "image", "source": {"type": "url", "url": "u"}}]}]} | messages[0].content[0].type
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "text"}]}]} | messages[0].content[0].text
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "file", "file_id": "f"}}]}]} | messages[0].content[0].source.type
			{"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "tool_result", "content": "x"}]}]} | messages[0].content[0].tool_use_id
			{"model": "m", "max_tokens": 10, "messages": [{"role": "assistant", "content": [{"type": "tool_use", "name": "y", "input": {}}]}]} | messages[0].content[0].id
			{"model": "m", "max_tokens": 10, "system": 5, "messages": [{"role": "user", "content": "Hi"}]} | system
			{"model": "m", "max_tokens": 10, "system": [{"type": "image"}], "messages": [{"role": "user", "content": "Hi"}]} | system[0].type
			{"model": "m", "max_tokens": 10, "temperature": "hot", "messages": [{"role": "user", "content": "Hi"}]} | temperature
			{"model": "m", "max_tokens": 10, "stop_sequences": "END", "messages": [{"role": "user", "content": "Hi"}]} | stop_sequences
			{"model": "m", "max_tokens": 10, "tools": [{"type": "web_search_20250305", "name": "web_search"}], "messages": [{"role": "user", "content": "Hi"}]} | tools[0].type
			{"model": "m", "max_tokens": 10, "tools": [{"name": "t"}], "messages": [{"role": "user", "content": "Hi"}]} | tools[0].input_schema
			{"model": "m", "max_tokens": 10, "tool_choice": {"type": "sometimes"}, "messages": [{"role": "user", "content": "Hi"}]} | tool_choice.type
			{"model": "m", "max_tokens": 10, "tool_choice": {"type": "tool"}, "messages": [{"role": "user", "content": "Hi"}]} | tool_choice.name
			""")
	void rejectsInvalidRequestNamingTheField(String request, String param) {
		assertThatExceptionOfType(AnthropicTranslationException.class)
			.isThrownBy(() -> AnthropicToOpenAiRequest.map(json(request)))
			.satisfies((ex) -> assertThat(ex.param()).isEqualTo(param))
			.withMessageNotContaining("null");
	}

}
