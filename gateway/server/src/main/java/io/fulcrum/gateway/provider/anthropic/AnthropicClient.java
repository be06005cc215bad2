package io.fulcrum.gateway.provider.anthropic;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.provider.Completion;
import io.fulcrum.gateway.provider.ProviderClient;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.gateway.provider.UpstreamHttp;
import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.anthropic.AnthropicEventsToOpenAiChunks;
import io.fulcrum.protocol.anthropic.AnthropicStreamException;
import io.fulcrum.protocol.anthropic.AnthropicToOpenAiResponse;
import io.fulcrum.protocol.anthropic.AnthropicTranslationException;
import io.fulcrum.protocol.anthropic.OpenAiToAnthropicRequest;
import io.fulcrum.protocol.sse.SseDecoder;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link ProviderClient} for Anthropic's Messages API. */
public final class AnthropicClient implements ProviderClient {

	/** The {@code type} of such providers in configuration. */
	public static final String PROVIDER_KIND = "anthropic";

	/** The API version this translation targets. */
	static final String API_VERSION = "2023-06-01";

	/** Anthropic requires max_tokens; OpenAI clients often omit it. */
	static final int DEFAULT_MAX_TOKENS = 4096;

	private final UpstreamHttp http;

	public AnthropicClient(UpstreamHttp http) {
		this.http = http;
	}

	@Override
	public Flux<StreamChunk> streamChat(ObjectNode request, Deployment deployment) {
		ObjectNode body;
		try {
			body = translate(request, deployment);
		}
		catch (ProviderException ex) {
			return Flux.error(ex);
		}
		body.put("stream", true);
		return this.http.post(deployment.provider(), deployment.id(), url(deployment), Json.bytes(body),
				headers(deployment), (response, content) -> {
					SseDecoder decoder = new SseDecoder();
					AnthropicEventsToOpenAiChunks translator = new AnthropicEventsToOpenAiChunks();
					return content.asByteArray()
						.concatMapIterable(decoder::feed)
						.concatWith(Flux.defer(() -> Flux.fromIterable(decoder.finish())))
						.concatMapIterable(translator::onEvent)
						.map(StreamChunk::of)
						.onErrorMap(AnthropicStreamException.class,
								ex -> new ProviderException(ProviderException.Failure.RETRYABLE, 0,
										"upstream stream failed: " + ex.getMessage(), null, ex));
				});
	}

	@Override
	public Mono<Completion> completeChat(ObjectNode request, Deployment deployment) {
		ObjectNode body;
		try {
			body = translate(request, deployment);
		}
		catch (ProviderException ex) {
			return Mono.error(ex);
		}
		body.remove("stream");
		return this.http
			.post(deployment.provider(), deployment.id(), url(deployment), Json.bytes(body), headers(deployment),
					(response, content) -> content.aggregate().asByteArray().map(AnthropicClient::completion))
			.next()
			.map(Completion::of);
	}

	@Override
	public Mono<ObjectNode> embed(ObjectNode request, Deployment deployment) {
		// Rejected at configuration time too; this guards a catalog built some other way.
		return Mono.error(new ProviderException(ProviderException.Failure.CLIENT_ERROR, 400,
				"Anthropic deployments serve no embeddings", null, null));
	}

	/** A request Anthropic cannot express is the client's problem on every Anthropic deployment. */
	private static ObjectNode translate(ObjectNode request, Deployment deployment) {
		try {
			return OpenAiToAnthropicRequest.map(request, deployment.upstreamModel(), DEFAULT_MAX_TOKENS);
		}
		catch (AnthropicTranslationException ex) {
			throw new ProviderException(ProviderException.Failure.CLIENT_ERROR, 400,
					ex.getMessage() + " (field " + ex.param() + ")", null, ex);
		}
	}

	private static ObjectNode completion(byte[] bytes) {
		try {
			JsonNode message = Json.parse(bytes);
			return AnthropicToOpenAiResponse.map(message);
		}
		catch (RuntimeException ex) {
			throw new ProviderException(ProviderException.Failure.RETRYABLE, 0, "upstream sent a malformed response",
					null, ex);
		}
	}

	private static String url(Deployment deployment) {
		return deployment.provider().baseUrl() + "/v1/messages";
	}

	private static java.util.function.Consumer<HttpHeaders> headers(Deployment deployment) {
		return h -> {
			if (deployment.provider().apiKey().isPresent()) {
				h.set("x-api-key", deployment.provider().apiKey().reveal());
			}
			h.set("anthropic-version", API_VERSION);
			h.set("accept", "application/json, text/event-stream");
		};
	}

}
