package io.fulcrum.protocol.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.sse.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.accumulateAnthropic;
import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static io.fulcrum.protocol.anthropic.Fixtures.lines;
import static io.fulcrum.protocol.anthropic.Fixtures.names;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiChunksToAnthropicEventsTests {

	/** A text answer as OpenAI streams it with {@code stream_options.include_usage}. */
	private static final String TEXT_STREAM = """
			{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}
			{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}
			{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":" world"},"logprobs":null,"finish_reason":null}],"usage":null}
			{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}
			{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":2,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":10}}}
			""";

	/** Text, then two tool calls streamed incrementally, as OpenAI sends parallel calls. */
	private static final String TOOL_STREAM = """
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"Checking."},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_paris","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"ci"}}]},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\\": \\"Paris\\"}"}}]},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_rome","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"city\\": \\"Rome\\"}"}}]},"finish_reason":null}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
			{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":80,"completion_tokens":40,"total_tokens":120}}
			""";

	@Test
	void translatesTextStreamToExactEventSequence() {
		OpenAiChunksToAnthropicEvents translator = new OpenAiChunksToAnthropicEvents("claude-sonnet-4-5");

		List<SseEvent> events = feed(translator, TEXT_STREAM);

		assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
				"content_block_delta", "content_block_stop", "message_delta", "message_stop");
		assertJson(json(events.get(0).data()), """
				{"type": "message_start", "message": {"id": "msg_chatcmpl-7", "type": "message", "role": "assistant",
				 "model": "claude-sonnet-4-5", "content": [], "stop_reason": null, "stop_sequence": null,
				 "usage": {"input_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 0}}}
				""");
		assertJson(json(events.get(1).data()), """
				{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
				""");
		assertJson(json(events.get(2).data()), """
				{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}
				""");
		assertJson(json(events.get(3).data()), """
				{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " world"}}
				""");
		assertJson(json(events.get(4).data()), """
				{"type": "content_block_stop", "index": 0}
				""");
		assertJson(json(events.get(5).data()), """
				{"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
				 "usage": {"input_tokens": 20, "output_tokens": 2, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 10}}
				""");
		assertJson(json(events.get(6).data()), """
				{"type": "message_stop"}
				""");
		assertThat(translator.finish()).isEmpty();
	}

	@Test
	void emitsMessageDeltaWhenUsageChunkArrives() {
		OpenAiChunksToAnthropicEvents translator = new OpenAiChunksToAnthropicEvents("m");
		List<JsonNode> chunks = lines(TEXT_STREAM);

		List<SseEvent> beforeUsage = new ArrayList<>();
		for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
			beforeUsage.addAll(translator.onChunk(chunk));
		}
		List<SseEvent> atUsage = translator.onChunk(chunks.get(chunks.size() - 1));

		assertThat(names(beforeUsage)).doesNotContain("message_delta", "message_stop").endsWith("content_block_stop");
		assertThat(names(atUsage)).containsExactly("message_delta", "message_stop");
	}

	@Test
	void translatesTextAndParallelToolCalls() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("claude-sonnet-4-5", 75), TOOL_STREAM);

		assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
				"content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
				"content_block_stop", "content_block_start", "content_block_delta", "content_block_stop",
				"message_delta", "message_stop");
		assertJson(json(events.get(4).data()), """
				{"type": "content_block_start", "index": 1,
				 "content_block": {"type": "tool_use", "id": "call_paris", "name": "get_weather", "input": {}}}
				""");
		assertJson(json(events.get(5).data()), """
				{"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\\"ci"}}
				""");
		assertJson(accumulateAnthropic(events), """
				{"id": "msg_chatcmpl-9", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
				 "content": [{"type": "text", "text": "Checking."},
				   {"type": "tool_use", "id": "call_paris", "name": "get_weather", "input": {"city": "Paris"}},
				   {"type": "tool_use", "id": "call_rome", "name": "get_weather", "input": {"city": "Rome"}}],
				 "stop_reason": "tool_use", "stop_sequence": null,
				 "usage": {"input_tokens": 80, "output_tokens": 40, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}
				""");
		assertThat(json(events.get(0).data()).at("/message/usage/input_tokens").asLong()).isEqualTo(75);
	}

	@Test
	void streamedMessageEqualsNonStreamingTranslation() {
		ObjectNode streamed = accumulateAnthropic(feed(new OpenAiChunksToAnthropicEvents("m"), TOOL_STREAM));
		ObjectNode direct = OpenAiToAnthropicResponse.map(json("""
				{"id": "chatcmpl-9", "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
				  "role": "assistant", "content": "Checking.", "tool_calls": [
				    {"id": "call_paris", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}},
				    {"id": "call_rome", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Rome\\"}"}}]}}],
				 "usage": {"prompt_tokens": 80, "completion_tokens": 40, "total_tokens": 120}}
				"""), "m");

		assertJson(streamed, direct);
	}

	@Test
	void translatesToolCallsSentWholeInOneChunk() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"a","arguments":"{\\"x\\":1}"}},{"index":1,"id":"call_2","type":"function","function":{"name":"b","arguments":"{}"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
				""");

		assertJson(accumulateAnthropic(events).get("content"), """
				[{"type": "tool_use", "id": "call_1", "name": "a", "input": {"x": 1}},
				 {"type": "tool_use", "id": "call_2", "name": "b", "input": {}}]
				""");
	}

	@Test
	void startsSeparateBlocksForCallsThatReuseAnIndex() {
		// some OpenAI-compatible backends number every call 0 and tell them apart by id only
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_2","type":"function","function":{"name":"b","arguments":"{}"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
				""");

		assertJson(accumulateAnthropic(events).get("content"), """
				[{"type": "tool_use", "id": "call_1", "name": "a", "input": {}},
				 {"type": "tool_use", "id": "call_2", "name": "b", "input": {}}]
				""");
	}

	@Test
	void holdsArgumentsBackUntilTheToolNameArrives() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"arguments":"{\\"q\\":"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"search","arguments":"\\"cats\\"}"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
				""");

		assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
				"content_block_stop", "message_delta", "message_stop");
		assertJson(accumulateAnthropic(events).get("content"), """
				[{"type": "tool_use", "id": "call_1", "name": "search", "input": {"q": "cats"}}]
				""");
	}

	@Test
	void generatesToolUseIdWhenBackendSendsNone() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"type":"function","function":{"name":"a","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
				""");

		assertThat(accumulateAnthropic(events).at("/content/0/id").asString()).startsWith("toolu_");
	}

	@Test
	void closesToolBlockWhenTextFollowsIt() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}}]},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{"content":"after"},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
				""");

		ObjectNode message = accumulateAnthropic(events);
		assertJson(message.get("content"), """
				[{"type": "tool_use", "id": "call_1", "name": "a", "input": {}}, {"type": "text", "text": "after"}]
				""");
		assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
	}

	@Test
	void mapsLengthAndMatchedStopSequence() {
		ObjectNode truncated = accumulateAnthropic(feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"content":"abc"},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}
				"""));
		ObjectNode stopped = accumulateAnthropic(feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"content":"abc"},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}
				"""));

		assertThat(truncated.get("stop_reason").asString()).isEqualTo("max_tokens");
		assertThat(stopped.get("stop_reason").asString()).isEqualTo("stop_sequence");
		assertThat(stopped.get("stop_sequence").asString()).isEqualTo("END");
	}

	@Test
	void reportsUsageKnownFromFirstChunkInMessageStart() {
		// vLLM with continuous usage stats puts the running usage on every chunk
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m", 999), """
				{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}
				""");

		assertThat(json(events.get(0).data()).at("/message/usage/input_tokens").asLong()).isEqualTo(12);
		ObjectNode message = accumulateAnthropic(events);
		assertThat(message.at("/usage/output_tokens").asLong()).isEqualTo(2);
	}

	@Test
	void finishesWithEstimatedUsageWhenBackendSendsNone() {
		OpenAiChunksToAnthropicEvents translator = new OpenAiChunksToAnthropicEvents("m", 42);
		List<SseEvent> events = new ArrayList<>(translator.onChunk(json("""
				{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}
				""")));

		assertThat(names(events)).doesNotContain("message_delta");
		events.addAll(translator.finish());

		assertJson(accumulateAnthropic(events).get("usage"), """
				{"input_tokens": 42, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
				""");
		assertThat(translator.finish()).isEmpty();
		assertThat(translator.onChunk(json("{\"id\":\"c\",\"choices\":[]}"))).isEmpty();
	}

	@Test
	void finishesEmptyStreamWithWellFormedMessage() {
		List<SseEvent> events = new OpenAiChunksToAnthropicEvents("m").finish();

		assertThat(names(events)).containsExactly("message_start", "message_delta", "message_stop");
		ObjectNode message = accumulateAnthropic(events);
		assertThat(message.get("id").asString()).startsWith("msg_");
		assertThat(message.get("stop_reason").asString()).isEqualTo("end_turn");
	}

	@Test
	void ignoresChoicesOtherThanTheFirst() {
		ObjectNode message = accumulateAnthropic(feed(new OpenAiChunksToAnthropicEvents("m"), """
				{"id":"c","choices":[{"index":0,"delta":{"content":"zero"},"finish_reason":null},{"index":1,"delta":{"content":"one"},"finish_reason":null}]}
				{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
				"""));

		assertJson(message.get("content"), """
				[{"type": "text", "text": "zero"}]
				""");
	}

	@Test
	void buildsErrorEvent() {
		SseEvent error = OpenAiChunksToAnthropicEvents.error("overloaded_error", "Overloaded");

		assertThat(error.event()).isEqualTo("error");
		assertJson(json(error.data()), """
				{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
				""");
		assertThat(new String(error.encode(), StandardCharsets.UTF_8))
			.startsWith("event: error\ndata: {\"type\":\"error\"")
			.endsWith("\n\n");
	}

	@Test
	void namesEachEventAfterItsType() {
		List<SseEvent> events = feed(new OpenAiChunksToAnthropicEvents("m"), TOOL_STREAM);

		assertThat(events).allSatisfy((event) -> assertThat(json(event.data()).get("type").asString())
			.isEqualTo(event.event()));
		assertThat(new String(events.get(0).encode(), StandardCharsets.UTF_8))
			.startsWith("event: message_start\ndata: {\"type\":\"message_start\"");
	}

	private static List<SseEvent> feed(OpenAiChunksToAnthropicEvents translator, String chunks) {
		List<SseEvent> events = new ArrayList<>();
		for (JsonNode chunk : lines(chunks)) {
			events.addAll(translator.onChunk(chunk));
		}
		events.addAll(translator.finish());
		return events;
	}

}
