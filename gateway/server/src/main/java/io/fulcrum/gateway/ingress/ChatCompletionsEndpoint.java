package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.error.ErrorBodies;
import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/** OpenAI's {@code POST /v1/chat/completions}, whole or streamed. */
public final class ChatCompletionsEndpoint implements InferenceEndpoint {

	private final JsonBodyReader bodies;

	private final ModelAccess models;

	private final InferenceRequests requests;

	private final InferenceDispatcher dispatcher;

	public ChatCompletionsEndpoint(EndpointServices services) {
		this.bodies = services.bodies();
		this.models = services.models();
		this.requests = services.requests();
		this.dispatcher = services.dispatcher();
	}

	@Override
	public String name() {
		return "chat";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Caller caller) {
		return this.bodies.read(exchange).flatMap(body -> {
			String model = ChatRequestValidator.validate(body);
			ModelAlias alias = this.models.resolve(caller, model, ModelAlias.ModelType.CHAT);
			boolean stream = body.path("stream").asBoolean(false);
			InferenceRequest request = this.requests.chat(exchange, caller, alias, body, stream);
			if (!stream) {
				return this.dispatcher.completeChat(request)
					.flatMap(completion -> ResponseWriter.json(exchange, request, completion.bytes()));
			}
			boolean clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
			Flux<SseEvent> events = this.dispatcher.streamChat(request)
				.filter(chunk -> clientWantsUsage || !chunk.isUsageOnly())
				.map(chunk -> SseEvent.data(chunk.json()))
				.concatWith(Mono.just(ResponseWriter.openAiDone()));
			return ResponseWriter.sse(exchange, request, events,
					ex -> SseEvent.data(Json.text(ErrorBodies.openAi(ErrorBodies.forBrokenStream(ex)))));
		});
	}

}
