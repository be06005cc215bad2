package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/** One API that a {@code fulcrum://NAME} route leads to; {@link #name()} is the route URI's host. */
public interface InferenceEndpoint {

	String name();

	/** Serves the request, writing the response; errors before the response is committed propagate. */
	Mono<Void> handle(ServerWebExchange exchange, Caller caller);

}
