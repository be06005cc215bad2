package io.fulcrum.gateway.ingress;

import java.util.Optional;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CacheTicket;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.cache.SseReplay;
import io.fulcrum.gateway.cache.StreamAssembler;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.error.ErrorBodies;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.server.ServerWebExchange;

/**
 * OpenAI's {@code POST /v1/chat/completions}, whole or streamed. The response cache comes first: a hit is answered
 * from it (a streamed request gets the cached completion replayed as chunks) before any rate limit, budget or
 * routing; a miss goes on to the dispatcher and, once successful and complete, is stored.
 */
public final class ChatCompletionsEndpoint implements InferenceEndpoint {

	private final JsonBodyReader bodies;

	private final ModelAccess models;

	private final InferenceRequests requests;

	private final InferenceDispatcher dispatcher;

	private final ResponseCaching caching;

	public ChatCompletionsEndpoint(EndpointServices services) {
		this.bodies = services.bodies();
		this.models = services.models();
		this.requests = services.requests();
		this.dispatcher = services.dispatcher();
		this.caching = services.caching();
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
			CacheTicket ticket = CacheHeaders.open(this.caching, exchange, request, CacheEndpoint.CHAT);
			// A hit ends the request here; the answer's Mono<Void> is empty, so the miss path must not be switchIfEmpty.
			return this.caching.lookup(ticket).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(hit -> {
				if (hit.isPresent()) {
					return answerFromCache(exchange, request, body, stream, hit.get());
				}
				CacheHeaders.write(exchange, ticket.notHit());
				return stream ? dispatchStream(exchange, request, body, ticket)
						: this.dispatcher.completeChat(request).flatMap(completion -> {
							byte[] bytes = completion.bytes();
							this.caching.store(ticket, request, bytes, completion.usage());
							return ResponseWriter.json(exchange, request, bytes);
						});
			});
		});
	}

	private Mono<Void> answerFromCache(ServerWebExchange exchange, InferenceRequest request, ObjectNode body,
			boolean stream, CachedResponse hit) {
		CacheHeaders.writeHit(exchange, hit);
		this.caching.hit(request, hit);
		if (!stream) {
			return ResponseWriter.json(exchange, request, hit.body());
		}
		Flux<SseEvent> events = Flux.fromIterable(SseReplay.chunks(Json.parse(hit.body()), clientWantsUsage(body)))
			.map(SseEvent::data)
			.concatWith(Mono.just(ResponseWriter.openAiDone()));
		return ResponseWriter.sse(exchange, request, events,
				ex -> SseEvent.data(Json.text(ErrorBodies.openAi(ErrorBodies.forBrokenStream(ex)))));
	}

	private Mono<Void> dispatchStream(ServerWebExchange exchange, InferenceRequest request, ObjectNode body,
			CacheTicket ticket) {
		boolean clientWantsUsage = clientWantsUsage(body);
		// Only a stream that completes is stored: an error or a client's cancel never reaches doOnComplete.
		StreamAssembler assembled = ticket.mode().stores() ? new StreamAssembler() : null;
		Flux<SseEvent> events = this.dispatcher.streamChat(request).doOnNext(chunk -> {
			if (assembled != null) {
				assembled.add(chunk);
			}
		}).doOnComplete(() -> {
			ObjectNode completion = assembled != null ? assembled.completion() : null;
			if (completion != null) {
				this.caching.store(ticket, request, Json.bytes(completion), completion.get("usage"));
			}
		})
			.filter(chunk -> clientWantsUsage || !chunk.isUsageOnly())
			.map(chunk -> SseEvent.data(chunk.json()))
			.concatWith(Mono.just(ResponseWriter.openAiDone()));
		return ResponseWriter.sse(exchange, request, events,
				ex -> SseEvent.data(Json.text(ErrorBodies.openAi(ErrorBodies.forBrokenStream(ex)))));
	}

	private static boolean clientWantsUsage(ObjectNode body) {
		return body.path("stream_options").path("include_usage").asBoolean(false);
	}

}
