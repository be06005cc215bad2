package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.error.ErrorBodies;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.protocol.anthropic.AnthropicToOpenAiRequest;
import io.fulcrum.protocol.anthropic.AnthropicTranslationException;
import io.fulcrum.protocol.anthropic.OpenAiChunksToAnthropicEvents;
import io.fulcrum.protocol.anthropic.OpenAiToAnthropicResponse;
import io.fulcrum.protocol.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.ServerWebExchange;

/**
 * Anthropic's {@code POST /v1/messages}: the request is translated into the canonical chat request, served by the
 * same pipeline as {@code /v1/chat/completions} (so an Anthropic client can use any model, on any provider), and
 * the answer translated back, whole or as Anthropic's stream events.
 */
public final class AnthropicMessagesEndpoint implements InferenceEndpoint {

	/** The path, for choosing Anthropic's error shape. */
	public static final String PATH = "/v1/messages";

	private final JsonBodyReader bodies;

	private final ModelAccess models;

	private final InferenceRequests requests;

	private final InferenceDispatcher dispatcher;

	public AnthropicMessagesEndpoint(EndpointServices services) {
		this.bodies = services.bodies();
		this.models = services.models();
		this.requests = services.requests();
		this.dispatcher = services.dispatcher();
	}

	@Override
	public String name() {
		return "messages";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Caller caller) {
		return this.bodies.read(exchange).flatMap(messagesRequest -> {
			ObjectNode chat = translate(messagesRequest);
			String model = chat.path("model").asString();
			ModelAlias alias = this.models.resolve(caller, model, ModelAlias.ModelType.CHAT);
			boolean stream = chat.path("stream").asBoolean(false);
			InferenceRequest request = this.requests.chat(exchange, caller, alias, chat, stream);
			if (!stream) {
				return this.dispatcher.completeChat(request)
					.flatMap(completion -> ResponseWriter.json(exchange, request,
							OpenAiToAnthropicResponse.map(completion.node(), model)));
			}
			OpenAiChunksToAnthropicEvents translator = new OpenAiChunksToAnthropicEvents(model);
			Flux<SseEvent> events = this.dispatcher.streamChat(request)
				.concatMapIterable(chunk -> translator.onChunk(chunk.node()))
				.concatWith(Flux.defer(() -> Flux.fromIterable(translator.finish())));
			return ResponseWriter.sse(exchange, request, events, ex -> {
				GatewayException error = ErrorBodies.forBrokenStream(ex);
				return OpenAiChunksToAnthropicEvents.error(error.kind().anthropicType(), error.getMessage());
			});
		});
	}

	private static ObjectNode translate(ObjectNode messagesRequest) {
		try {
			return AnthropicToOpenAiRequest.map(messagesRequest);
		}
		catch (AnthropicTranslationException ex) {
			throw GatewayException.invalid(ex.getMessage(), ex.param());
		}
	}

}
