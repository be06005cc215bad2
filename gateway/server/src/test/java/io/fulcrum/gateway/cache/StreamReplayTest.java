package io.fulcrum.gateway.cache;

import java.util.List;

import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream assembled into a completion, and a completion replayed as a stream, keep the same content. */
class StreamReplayTest {

	private static final String HEAD = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\",";

	private static final String USAGE = "{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}";

	@Test
	void completedStreamAssemblesIntoTheCompletionAndReplaysToTheSameChunks() {
		StreamAssembler assembler = new StreamAssembler();
		for (String chunk : List.of(
				HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
				HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}",
				HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}",
				HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
				HEAD + "\"choices\":[],\"usage\":" + USAGE + "}")) {
			assembler.add(StreamChunk.ofJson(chunk));
		}
		ObjectNode completion = assembler.completion();
		assertThat(completion).isNotNull();
		assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
		assertThat(completion.path("choices").get(0).path("message").path("content").asString())
			.isEqualTo("Hello there");
		assertThat(completion.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
		assertThat(completion.path("usage")).isEqualTo(Json.parse(USAGE));

		List<String> replay = SseReplay.chunks(completion, true);
		assertThat(replay).hasSize(4);
		StringBuilder text = new StringBuilder();
		for (String chunk : replay.subList(0, 3)) {
			JsonNode node = Json.parse(chunk);
			assertThat(node.path("id").asString()).isEqualTo("c1");
			assertThat(node.path("object").asString()).isEqualTo("chat.completion.chunk");
			text.append(node.path("choices").get(0).path("delta").path("content").asString(""));
		}
		assertThat(text.toString()).isEqualTo("Hello there");
		assertThat(Json.parse(replay.get(2)).path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
		assertThat(Json.parse(replay.get(3)).path("usage")).isEqualTo(Json.parse(USAGE));
		assertThat(SseReplay.chunks(completion, false)).hasSize(3);
	}

	@Test
	void unfinishedStreamOrToolCallsAreNotAssembled() {
		StreamAssembler unfinished = new StreamAssembler();
		unfinished.add(StreamChunk.ofJson(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}"));
		unfinished.add(StreamChunk.ofJson(HEAD + "\"choices\":[],\"usage\":" + USAGE + "}"));
		assertThat(unfinished.completion()).isNull();

		StreamAssembler tools = new StreamAssembler();
		tools.add(StreamChunk.ofJson(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]},\"finish_reason\":null}]}"));
		tools.add(StreamChunk.ofJson(HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
		tools.add(StreamChunk.ofJson(HEAD + "\"choices\":[],\"usage\":" + USAGE + "}"));
		assertThat(tools.completion()).isNull();
	}

}
