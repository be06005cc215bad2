package io.fulcrum.gateway.ingress;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.ratelimit.RateLimitStatus;
import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes answers: whole JSON documents, or Server-Sent Events with backpressure, each sent as soon as it is ready.
 * Headers that depend on the outcome (which deployment served, how it was routed, what the rate limits have left)
 * are set just before the response commits.
 */
public final class ResponseWriter {

	private ResponseWriter() {
	}

	public static Mono<Void> json(ServerWebExchange exchange, InferenceRequest request, JsonNode body) {
		return json(exchange, request, Json.bytes(body));
	}

	/** Writes an already serialized JSON document. */
	public static Mono<Void> json(ServerWebExchange exchange, InferenceRequest request, byte[] body) {
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		nameDeployment(response, request);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/**
	 * Streams {@code events} as SSE. An error before the first event propagates (so the error handler can still send
	 * a proper status); an error after it is turned into a last event by {@code onBrokenStream}, because the status
	 * line has already gone.
	 */
	public static Mono<Void> sse(ServerWebExchange exchange, InferenceRequest request, Flux<SseEvent> events,
			Function<Throwable, SseEvent> onBrokenStream) {
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
		response.getHeaders().setCacheControl("no-cache");
		response.getHeaders().set("X-Accel-Buffering", "no");
		nameDeployment(response, request);
		AtomicBoolean started = new AtomicBoolean();
		Flux<SseEvent> guarded = events.doOnNext(event -> started.set(true))
			.onErrorResume(ex -> started.get(), ex -> Mono.just(onBrokenStream.apply(ex)));
		// writeWith, not writeAndFlushWith: Reactor Netty flushes whenever no further event is ready, so each event
		// still leaves at once when tokens trickle in, while a burst of events shares one write.
		return response.writeWith(guarded.map(event -> buffer(response, event.encode())));
	}

	public static SseEvent openAiDone() {
		return SseEvent.data(SseEvent.DONE);
	}

	private static DataBuffer buffer(ServerHttpResponse response, byte[] bytes) {
		return response.bufferFactory().wrap(bytes);
	}

	private static void nameDeployment(ServerHttpResponse response, InferenceRequest request) {
		response.beforeCommit(() -> {
			Deployment served = request.servedBy();
			if (served != null) {
				response.getHeaders().set(GatewayExchangeAttributes.DEPLOYMENT_HEADER, served.id());
			}
			RateLimitStatus limits = request.rateLimits();
			if (limits != null) {
				limits.writeTo(response.getHeaders());
			}
			String route = request.route();
			if (route != null) {
				response.getHeaders().set(GatewayExchangeAttributes.ROUTE_HEADER, route);
			}
			return Mono.empty();
		});
	}

}
