package io.fulcrum.protocol.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseDecoder;
import io.fulcrum.protocol.sse.SseEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helpers for the translator tests: JSON comparison that ignores how a number is stored, SSE fixtures decoded
 * the way the gateway decodes them, and accumulators that rebuild a whole response from a stream the way the
 * Anthropic and OpenAI SDKs do, checking the stream's grammar on the way.
 */
final class Fixtures {

	private Fixtures() {
	}

	static JsonNode json(String text) {
		return Json.parse(text);
	}

	/**
	 * Asserts JSON equality. Jackson's trees compare an {@code int} and a {@code long} node as different, so both
	 * sides are written out and read back first.
	 */
	static void assertJson(JsonNode actual, String expected) {
		assertThat(normalize(actual)).isEqualTo(normalize(json(expected)));
	}

	static void assertJson(JsonNode actual, JsonNode expected) {
		assertThat(normalize(actual)).isEqualTo(normalize(expected));
	}

	static JsonNode normalize(JsonNode node) {
		return Json.parse(Json.text(node));
	}

	/** Decodes an SSE stream as it arrives from the network. */
	static List<SseEvent> sse(String stream) {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>(decoder.feed(stream.getBytes(StandardCharsets.UTF_8)));
		events.addAll(decoder.finish());
		return events;
	}

	/** One chunk per non-blank line: OpenAI stream fixtures written as JSON lines. */
	static List<JsonNode> lines(String jsonLines) {
		List<JsonNode> nodes = new ArrayList<>();
		for (String line : jsonLines.split("\n")) {
			if (!line.isBlank()) {
				nodes.add(json(line));
			}
		}
		return nodes;
	}

	static List<String> names(List<SseEvent> events) {
		return events.stream().map(SseEvent::event).toList();
	}

	/**
	 * Rebuilds the message an Anthropic event stream describes, as the Anthropic SDKs' accumulators do, failing
	 * when the stream breaks the protocol: {@code message_start} first, blocks numbered from 0 and closed before
	 * the next opens, every delta for an open block of its kind, each event named after its {@code type}, and
	 * {@code message_delta} then {@code message_stop} last.
	 */
	static ObjectNode accumulateAnthropic(List<SseEvent> events) {
		assertThat(events).isNotEmpty();
		ObjectNode message = null;
		Map<Integer, StringBuilder> partialJson = new HashMap<>();
		int open = -1;
		boolean sawMessageDelta = false;
		boolean stopped = false;
		for (SseEvent event : events) {
			JsonNode data = json(event.data());
			String type = data.get("type").asString();
			assertThat(event.event()).as("event name").isEqualTo(type);
			assertThat(stopped).as("event after message_stop: " + type).isFalse();
			if (message == null) {
				assertThat(type).as("first event").isEqualTo("message_start");
			}
			switch (type) {
				case "message_start" -> {
					assertThat(message).as("second message_start").isNull();
					message = (ObjectNode) data.get("message").deepCopy();
					assertThat(message.get("content").isEmpty()).isTrue();
				}
				case "content_block_start" -> {
					assertThat(open).as("block opened while another is open").isEqualTo(-1);
					int index = data.get("index").asInt();
					assertThat(index).as("block index").isEqualTo(message.get("content").size());
					((ArrayNode) message.get("content")).add(data.get("content_block").deepCopy());
					open = index;
				}
				case "content_block_delta" -> {
					int index = data.get("index").asInt();
					assertThat(index).as("delta for a block that is not open").isEqualTo(open);
					ObjectNode block = (ObjectNode) message.get("content").get(index);
					JsonNode delta = data.get("delta");
					switch (delta.get("type").asString()) {
						case "text_delta" -> {
							assertThat(block.get("type").asString()).isEqualTo("text");
							block.put("text", block.get("text").asString() + delta.get("text").asString());
						}
						case "input_json_delta" -> {
							assertThat(block.get("type").asString()).isEqualTo("tool_use");
							partialJson.computeIfAbsent(index, (i) -> new StringBuilder())
								.append(delta.get("partial_json").asString());
						}
						default -> throw new AssertionError("unexpected delta " + delta);
					}
				}
				case "content_block_stop" -> {
					int index = data.get("index").asInt();
					assertThat(index).as("stop for a block that is not open").isEqualTo(open);
					StringBuilder input = partialJson.get(index);
					if (input != null) {
						((ObjectNode) message.get("content").get(index)).set("input", json(input.toString()));
					}
					open = -1;
				}
				case "message_delta" -> {
					assertThat(open).as("message_delta with an open block").isEqualTo(-1);
					sawMessageDelta = true;
					message.set("stop_reason", data.get("delta").get("stop_reason"));
					message.set("stop_sequence", data.get("delta").get("stop_sequence"));
					((ObjectNode) message.get("usage")).setAll((ObjectNode) data.get("usage"));
				}
				case "message_stop" -> {
					assertThat(sawMessageDelta).as("message_stop before message_delta").isTrue();
					stopped = true;
				}
				case "ping" -> {
				}
				default -> throw new AssertionError("unexpected event " + type);
			}
		}
		assertThat(stopped).as("stream ends with message_stop").isTrue();
		return message;
	}

	/**
	 * Rebuilds the chat completion an OpenAI chunk stream describes, as the OpenAI SDKs' stream helpers do,
	 * checking that every chunk has the stream's id and created time and that the role comes first.
	 */
	static ObjectNode accumulateOpenAi(List<ObjectNode> chunks) {
		assertThat(chunks).isNotEmpty();
		JsonNode first = chunks.get(0);
		assertThat(first.at("/choices/0/delta/role").asString()).isEqualTo("assistant");
		StringBuilder content = new StringBuilder();
		Map<Integer, ObjectNode> calls = new TreeMap<>();
		ObjectNode completion = Json.object();
		completion.set("id", first.get("id"));
		completion.set("model", first.get("model"));
		for (ObjectNode chunk : chunks) {
			assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(chunk.get("id")).isEqualTo(first.get("id"));
			assertThat(chunk.get("created")).isEqualTo(first.get("created"));
			if (chunk.hasNonNull("usage")) {
				assertThat(chunk.get("choices").isEmpty()).as("usage chunk has no choices").isTrue();
				completion.set("usage", chunk.get("usage"));
				continue;
			}
			JsonNode choice = chunk.get("choices").get(0);
			assertThat(completion.has("usage")).as("chunk after the usage chunk").isFalse();
			JsonNode delta = choice.get("delta");
			if (delta.hasNonNull("content")) {
				content.append(delta.get("content").asString());
			}
			for (JsonNode call : delta.path("tool_calls")) {
				ObjectNode accumulated = calls.get(call.get("index").asInt());
				if (accumulated == null) {
					accumulated = (ObjectNode) call.deepCopy();
					accumulated.remove("index");
					calls.put(call.get("index").asInt(), accumulated);
				}
				else {
					ObjectNode function = (ObjectNode) accumulated.get("function");
					function.put("arguments",
							function.get("arguments").asString() + call.at("/function/arguments").asString());
				}
			}
			if (choice.hasNonNull("finish_reason")) {
				completion.set("finish_reason", choice.get("finish_reason"));
			}
		}
		completion.put("content", content.toString());
		ArrayNode toolCalls = completion.putArray("tool_calls");
		calls.values().forEach(toolCalls::add);
		return completion;
	}

}
