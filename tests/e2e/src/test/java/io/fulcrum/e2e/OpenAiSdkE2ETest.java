package io.fulcrum.e2e;

import java.util.ArrayList;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** OpenAI's official Java SDK against Fulcrum, with nothing changed but the base URL and the key. */
@ExtendWith(RunningGateway.Extension.class)
class OpenAiSdkE2ETest {

	private static OpenAIClient client;

	private static RunningGateway gateway;

	@BeforeAll
	static void connect(RunningGateway running) {
		gateway = running;
		client = clientWithKey(RunningGateway.API_KEY);
	}

	@AfterAll
	static void disconnect() {
		client.close();
	}

	private static OpenAIClient clientWithKey(String key) {
		return OpenAIOkHttpClient.builder()
			.baseUrl(gateway.openAiBaseUrl())
			.apiKey(key)
			.maxRetries(0)
			.timeout(RunningGateway.SDK_TIMEOUT)
			.build();
	}

	private static ChatCompletionCreateParams.Builder chat(String model) {
		return ChatCompletionCreateParams.builder()
			.model(model)
			.addUserMessage("Say hello to the end-to-end tests.")
			.maxCompletionTokens(32);
	}

	@Test
	void chatCompletionReturnsContentUsageAndModel() {
		ChatCompletion completion = client.chat().completions().create(chat("chat-default").build());

		assertThat(completion.choices()).hasSize(1);
		assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
		assertThat(completion.model()).isNotBlank();
		CompletionUsage usage = completion.usage().orElseThrow();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
	}

	@Test
	void streamedChatCompletionDeliversTheTextAndFinalUsage() {
		ChatCompletionCreateParams params = chat("chat-default")
			.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
			.build();
		StringBuilder text = new StringBuilder();
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
			stream.stream().forEach(chunk -> {
				chunks.add(chunk);
				chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
			});
		}

		assertThat(chunks).hasSizeGreaterThan(1);
		assertThat(text.toString()).isNotBlank();
		assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.choices())
			.anySatisfy(choice -> assertThat(choice.finishReason()).isPresent()));
		CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
	}

	@Test
	void streamedTextMatchesTheNonStreamedContent() {
		String content = client.chat().completions().create(chat("chat-default").build()).choices().get(0)
			.message().content().orElseThrow();
		StringBuilder text = new StringBuilder();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat()
			.completions()
			.createStreaming(chat("chat-default").build())) {
			stream.stream()
				.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
		}

		assertThat(content).isNotEmpty();
		assertThat(text.toString()).isEqualTo(content);
	}

	@Test
	void chatCompletionThroughAnAnthropicDeploymentIsTranslated() {
		ChatCompletion completion = client.chat().completions().create(chat("claude-haiku").build());

		assertThat(completion.choices()).hasSize(1);
		assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
		assertThat(completion.choices().get(0).finishReason()).isNotNull();
		CompletionUsage usage = completion.usage().orElseThrow();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
	}

	@Test
	void embeddingsReturnOneVectorPerInput() {
		CreateEmbeddingResponse response = client.embeddings()
			.create(EmbeddingCreateParams.builder().model("text-embedding").input("Fulcrum end-to-end").build());

		assertThat(response.data()).hasSize(1);
		assertThat(response.data().get(0).embedding()).isNotEmpty();
		assertThat(response.usage().promptTokens()).isPositive();
	}

	@Test
	void modelListContainsTheConfiguredAliases() {
		List<String> ids = client.models().list().data().stream().map(Model::id).toList();

		assertThat(ids).contains("chat-default", "claude-haiku", "text-embedding");
	}

	@Test
	void unknownModelRaisesNotFoundWithTheOpenAiError() {
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> client.chat().completions().create(chat("no-such-model").build()))
			.satisfies(e -> {
				assertThat(e.statusCode()).isEqualTo(404);
				assertThat(e.getMessage()).contains("no-such-model");
				assertThat(e.body().toString()).contains("no-such-model");
				assertThat(e.type()).hasValue("not_found_error");
				assertThat(e.code()).hasValue("model_not_found");
				assertThat(e.param()).hasValue("model");
			});
	}

	@Test
	void badKeyRaisesUnauthorized() {
		OpenAIClient stranger = clientWithKey("fk-not-a-real-key-00000000000000000000");
		try {
			assertThatExceptionOfType(UnauthorizedException.class)
				.isThrownBy(() -> stranger.chat().completions().create(chat("chat-default").build()))
				.satisfies(e -> assertThat(e.statusCode()).isEqualTo(401));
		}
		finally {
			stranger.close();
		}
	}

}
