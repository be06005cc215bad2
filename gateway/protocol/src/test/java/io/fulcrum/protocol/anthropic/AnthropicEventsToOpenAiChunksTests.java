package io.fulcrum.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.protocol.sse.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static io.fulcrum.protocol.anthropic.Fixtures.accumulateOpenAi;
import static io.fulcrum.protocol.anthropic.Fixtures.assertJson;
import static io.fulcrum.protocol.anthropic.Fixtures.json;
import static io.fulcrum.protocol.anthropic.Fixtures.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AnthropicEventsToOpenAiChunksTests {

	/** Text then a tool call, as Anthropic's API streams them (from its streaming documentation). */
	static final String TOOL_STREAM = """
			event: message_start
			data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":1200,"output_tokens":2},"content":[],"stop_reason":null}}

			event: content_block_start
			data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

			event: ping
			data: {"type": "ping"}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check the weather."}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":0}

			event: content_block_start
			data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

			event: content_block_delta
			data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\"}"}}

			event: content_block_stop
			data: {"type":"content_block_stop","index":1}

			event: message_delta
			data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

			event: message_stop
			data: {"type":"message_stop"}

			""";

	@Test
	void translatesTextAndToolUseStreamToExactChunks() {
		List<ObjectNode> chunks = feed(new AnthropicEventsToOpenAiChunks(1741569952L), TOOL_STREAM);

		String header = """
				"id": "msg_014p7gG3wDgGV9EUtLvnow3U", "object": "chat.completion.chunk", "created": 1741569952,
				"model": "claude-sonnet-4-5-20250929"
				""";
		assertThat(chunks).hasSize(8);
		assertJson(chunks.get(0), """
				{%s, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
				""".formatted(header));
		assertJson(chunks.get(1), """
				{%s, "choices": [{"index": 0, "delta": {"content": "Okay"}, "logprobs": null, "finish_reason": null}]}
				""".formatted(header));
		assertJson(chunks.get(3), """
				{%s, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
				  "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}, "logprobs": null, "finish_reason": null}]}
				""".formatted(header));
		assertJson(chunks.get(4), """
				{%s, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\\"location\\":"}}]},
				  "logprobs": null, "finish_reason": null}]}
				""".formatted(header));
		assertJson(chunks.get(6), """
				{%s, "choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls"}]}
				""".formatted(header));
		assertJson(chunks.get(7), """
				{%s, "choices": [], "usage": {"prompt_tokens": 1672, "completion_tokens": 89, "total_tokens": 1761,
				  "prompt_tokens_details": {"cached_tokens": 1200}}}
				""".formatted(header));
	}

	@Test
	void emitsFinishReasonAtMessageDeltaAndUsageAtMessageStop() {
		AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks(1L);
		List<SseEvent> events = sse(TOOL_STREAM);
		for (SseEvent event : events.subList(0, events.size() - 2)) {
			translator.onEvent(event);
		}

		List<ObjectNode> atDelta = translator.onEvent(events.get(events.size() - 2));
		List<ObjectNode> atStop = translator.onEvent(events.get(events.size() - 1));

		assertThat(atDelta).singleElement()
			.satisfies((chunk) -> assertJson(chunk.get("choices"), """
					[{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls"}]
					"""));
		assertThat(atStop).singleElement().satisfies((chunk) -> assertThat(chunk.get("choices").isEmpty()).isTrue());
	}

	@Test
	void streamedCompletionEqualsNonStreamingTranslation() {
		ObjectNode streamed = accumulateOpenAi(feed(new AnthropicEventsToOpenAiChunks(), TOOL_STREAM));
		ObjectNode direct = AnthropicToOpenAiResponse.map(json("""
				{"id": "msg_014p7gG3wDgGV9EUtLvnow3U", "model": "claude-sonnet-4-5-20250929", "stop_reason": "tool_use",
				 "content": [{"type": "text", "text": "Okay, let's check the weather."},
				   {"type": "tool_use", "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather",
				    "input": {"location": "San Francisco, CA"}}],
				 "usage": {"input_tokens": 472, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1200, "output_tokens": 89}}
				"""), 1L);

		assertThat(streamed.get("content").asString()).isEqualTo(direct.at("/choices/0/message/content").asString());
		assertThat(streamed.get("finish_reason")).isEqualTo(direct.at("/choices/0/finish_reason"));
		assertThat(streamed.get("usage")).isEqualTo(direct.get("usage"));
		assertThat(streamed.get("tool_calls")).hasSize(1);
		assertThat(json(streamed.at("/tool_calls/0/function/arguments").asString()))
			.isEqualTo(json(direct.at("/choices/0/message/tool_calls/0/function/arguments").asString()));
	}

	@Test
	void numbersToolCallsApartFromContentBlocks() {
		List<ObjectNode> chunks = feed(new AnthropicEventsToOpenAiChunks(1L), """
				event: message_start
				data: {"type":"message_start","message":{"id":"msg_p","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}

				event: content_block_start
				data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Two calls."}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":0}

				event: content_block_start
				data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"a","input":{}}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":1}

				event: content_block_start
				data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"b","input":{}}}

				event: content_block_delta
				data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"k\\": 1}"}}

				event: content_block_stop
				data: {"type":"content_block_stop","index":2}

				event: message_delta
				data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}

				event: message_stop
				data: {"type":"message_stop"}

				""");

		assertThat(chunks.get(1).at("/choices/0/delta/reasoning_content").asString()).isEqualTo("Two calls.");
		ObjectNode completion = accumulateOpenAi(chunks);
		assertJson(completion.get("tool_calls"), """
				[{"id": "toolu_a", "type": "function", "function": {"name": "a", "arguments": "{}"}},
				 {"id": "toolu_b", "type": "function", "function": {"name": "b", "arguments": "{\\"k\\": 1}"}}]
				""");
		assertJson(completion.get("usage"), """
				{"prompt_tokens": 5, "completion_tokens": 30, "total_tokens": 35, "prompt_tokens_details": {"cached_tokens": 0}}
				""");
	}

	@Test
	void takesUpdatedInputCountsFromMessageDelta() {
		List<ObjectNode> chunks = feed(new AnthropicEventsToOpenAiChunks(1L), """
				event: message_start
				data: {"type":"message_start","message":{"id":"msg_u","model":"m","content":[],"usage":{"input_tokens":0,"output_tokens":1}}}

				event: message_delta
				data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":40,"cache_read_input_tokens":8,"cache_creation_input_tokens":null,"output_tokens":16}}

				event: message_stop
				data: {"type":"message_stop"}

				""");

		assertThat(chunks.get(1).at("/choices/0/finish_reason").asString()).isEqualTo("length");
		assertJson(chunks.get(2).get("usage"), """
				{"prompt_tokens": 48, "completion_tokens": 16, "total_tokens": 64, "prompt_tokens_details": {"cached_tokens": 8}}
				""");
	}

	@Test
	void readsEventTypeFromDataWhenEventHasNoName() {
		AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks(1L);

		List<ObjectNode> chunks = translator.onEvent(SseEvent.data("""
				{"type":"message_start","message":{"id":"msg_n","model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}
				"""));

		assertThat(chunks).singleElement()
			.satisfies((chunk) -> assertThat(chunk.get("id").asString()).isEqualTo("msg_n"));
	}

	@Test
	void ignoresPingAndUnknownEvents() {
		AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks(1L);
		translator.onEvent(new SseEvent("message_start", """
				{"type":"message_start","message":{"id":"msg_i","model":"m","content":[],"usage":{}}}
				"""));

		assertThat(translator.onEvent(new SseEvent("ping", "{\"type\": \"ping\"}"))).isEmpty();
		assertThat(translator.onEvent(new SseEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")))
			.isEmpty();
		assertThat(translator.onEvent(new SseEvent("future_event", "{\"type\":\"future_event\"}"))).isEmpty();
	}

	@Test
	void throwsStreamExceptionForErrorEvent() {
		AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks(1L);
		List<SseEvent> events = sse("""
				event: message_start
				data: {"type":"message_start","message":{"id":"msg_e","model":"m","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

				event: error
				data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

				""");
		translator.onEvent(events.get(0));

		assertThatExceptionOfType(AnthropicStreamException.class).isThrownBy(() -> translator.onEvent(events.get(1)))
			.satisfies((ex) -> {
				assertThat(ex.type()).isEqualTo("overloaded_error");
				assertThat(ex.errorMessage()).isEqualTo("Overloaded");
			});
	}

	@Test
	void throwsStreamExceptionForMalformedEvent() {
		AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks(1L);

		assertThatExceptionOfType(AnthropicStreamException.class)
			.isThrownBy(() -> translator.onEvent(new SseEvent("content_block_delta", "{\"type\":")))
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo("api_error"));
	}

	static List<ObjectNode> feed(AnthropicEventsToOpenAiChunks translator, String stream) {
		List<ObjectNode> chunks = new ArrayList<>();
		for (SseEvent event : sse(stream)) {
			chunks.addAll(translator.onEvent(event));
		}
		return chunks;
	}

}
