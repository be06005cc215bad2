package io.fulcrum.gateway.provider.openai;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.provider.Completion;
import io.fulcrum.gateway.provider.ProviderClient;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.gateway.provider.UpstreamHttp;
import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseDecoder;
import io.fulcrum.protocol.sse.SseEvent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link ProviderClient} for OpenAI's API and servers compatible with it. */
public final class OpenAiCompatibleClient implements ProviderClient {

	/** The {@code type} of such providers in configuration. */
	public static final String PROVIDER_KIND = "openai";

	private final UpstreamHttp http;

	public OpenAiCompatibleClient(UpstreamHttp http) {
		this.http = http;
	}

	@Override
	public Flux<StreamChunk> streamChat(ObjectNode request, Deployment deployment) {
		ObjectNode body = request.deepCopy();
		body.put("model", deployment.upstreamModel());
		body.put("stream", true);
		// Usage in the stream is how metering stays exact; the ingress strips it if the client did not ask.
		body.putObject("stream_options").put("include_usage", true);
		String url = deployment.provider().baseUrl() + "/chat/completions";
		return this.http.post(deployment.provider(), deployment.id(), url, Json.bytes(body), headers(deployment, true),
				(response, content) -> {
					SseDecoder decoder = new SseDecoder();
					return content.asByteArray()
						.concatMapIterable(decoder::feed)
						.concatWith(Flux.defer(() -> Flux.fromIterable(decoder.finish())))
						.takeWhile(event -> !event.isDone())
						.map(OpenAiCompatibleClient::chunk);
				});
	}

	@Override
	public Mono<Completion> completeChat(ObjectNode request, Deployment deployment) {
		ObjectNode body = request.deepCopy();
		body.put("model", deployment.upstreamModel());
		body.remove("stream_options");
		body.put("stream", false);
		// The answer goes back to the client as it came; only its usage is read.
		return unary(deployment, "/chat/completions", body, OpenAiCompatibleClient::completion);
	}

	@Override
	public Mono<ObjectNode> embed(ObjectNode request, Deployment deployment) {
		ObjectNode body = request.deepCopy();
		body.put("model", deployment.upstreamModel());
		return unary(deployment, "/embeddings", body, OpenAiCompatibleClient::object);
	}

	private <T> Mono<T> unary(Deployment deployment, String path, ObjectNode body, Function<byte[], T> decode) {
		return this.http
			.post(deployment.provider(), deployment.id(), deployment.provider().baseUrl() + path, Json.bytes(body),
					headers(deployment, false),
					(response, content) -> content.aggregate().asByteArray().map(decode))
			.next();
	}

	private static java.util.function.Consumer<HttpHeaders> headers(Deployment deployment, boolean stream) {
		return h -> {
			if (deployment.provider().apiKey().isPresent()) {
				h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + deployment.provider().apiKey().reveal());
			}
			h.set(HttpHeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
		};
	}

	/** Passes the chunk on unparsed, unless it may be an error event (which is parsed to be sure). */
	private static StreamChunk chunk(SseEvent event) {
		String data = event.data();
		if (!StreamChunk.fieldValueStarts(data, "\"error\"", '{')) {
			return StreamChunk.ofJson(data);
		}
		JsonNode node = parse(data.getBytes(StandardCharsets.UTF_8));
		JsonNode error = node.get("error");
		if (error != null && error.isObject()) {
			String message = Json.string(error, "message");
			throw new ProviderException(ProviderException.Failure.RETRYABLE, 0,
					"upstream stream failed: " + (message != null ? message : "unknown error"), null, null);
		}
		return StreamChunk.of((ObjectNode) node);
	}

	private static Completion completion(byte[] bytes) {
		try {
			return Completion.ofJson(bytes);
		}
		catch (RuntimeException ex) {
			throw malformed(ex);
		}
	}

	private static ObjectNode object(byte[] bytes) {
		return (ObjectNode) parse(bytes);
	}

	private static JsonNode parse(byte[] bytes) {
		try {
			JsonNode node = Json.parse(bytes);
			if (!node.isObject()) {
				throw new IllegalStateException("not a JSON object");
			}
			return node;
		}
		catch (RuntimeException ex) {
			throw malformed(ex);
		}
	}

	private static ProviderException malformed(RuntimeException ex) {
		return new ProviderException(ProviderException.Failure.RETRYABLE, 0, "upstream sent a malformed response",
				null, ex);
	}

}
