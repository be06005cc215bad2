package io.fulcrum.simulator.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseDecoder;
import io.fulcrum.protocol.sse.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WireFormatTest {

	@Test
	void escapesModelNamesInStreamTemplates() {
		ChatRequest request = new ChatRequest("we\"ird\\model\u00e9", 1, null, true, false);

		byte[] token = new OpenAiChat().stream(request, true).token(" t\u00f6ken\n");

		List<SseEvent> events = new SseDecoder().feed(token);
		JsonNode chunk = Json.parse(events.get(0).data());
		assertThat(chunk.get("model").asString()).isEqualTo("we\"ird\\model\u00e9");
		assertThat(chunk.get("choices").get(0).get("delta").get("content").asString()).isEqualTo(" t\u00f6ken\n");
	}

	@Test
	void estimatesPromptTokensFromTextPartsAndStrings() {
		JsonNode messages = Json.parse("[{\"role\":\"user\",\"content\":\"12345678\"},"
				+ "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcd\"},{\"type\":\"image_url\"}]}]");

		assertThat(PromptTokens.estimate(messages)).isEqualTo(3);
		assertThat(PromptTokens.estimate(Json.parse("\"\""))).isEqualTo(1);
		assertThat(PromptTokens.estimate(Json.parse("\"system prompt\""), messages)).isEqualTo(6);
	}

	@Test
	void rendersErrorsInEachProvidersShape() {
		ApiError error = new ApiError(ErrorKind.INVALID_REQUEST, "bad", "messages");

		JsonNode openAi = Json.parse(ErrorFormat.OPENAI.render(error));
		JsonNode anthropic = Json.parse(ErrorFormat.ANTHROPIC.render(error));

		assertThat(Json.text(openAi))
			.isEqualTo("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
					+ "\"code\":null}}");
		assertThat(Json.text(anthropic))
			.isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}");
		assertThat(new String(ErrorFormat.ANTHROPIC.standard(ErrorKind.OVERLOADED), StandardCharsets.UTF_8))
			.contains("overloaded_error");
	}

	@Test
	void rejectsNonPositiveMaxTokens() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> new OpenAiChat().parse(Json.parse("{\"model\":\"m\",\"max_tokens\":0,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
			.satisfies((ex) -> assertThat(ex.param()).isEqualTo("max_tokens"));
	}

	@Test
	void derivesEqualVectorsFromEqualInputs() {
		EmbeddingsRequest request = EmbeddingsRequest
			.parse(Json.parse("{\"model\":\"e\",\"input\":[\"x\",\"x\",\"y\"]}"));

		assertThat(request.seeds().get(0)).isEqualTo(request.seeds().get(1)).isNotEqualTo(request.seeds().get(2));
		assertThat(Embeddings.vector(request.seeds().get(0), 4))
			.containsExactly(Embeddings.vector(request.seeds().get(1), 4));
	}

}
