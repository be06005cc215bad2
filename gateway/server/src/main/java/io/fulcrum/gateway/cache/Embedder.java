package io.fulcrum.gateway.cache;

import reactor.core.publisher.Mono;

/**
 * Turns a prompt into a unit-length vector for the semantic cache. Never blocks the caller and never fails: an
 * embedding that errors or does not arrive in time is empty (the semantic lookup is then a miss).
 */
@FunctionalInterface
public interface Embedder {

	/** The L2-normalised embedding of {@code text}, or empty when none could be computed in time. */
	Mono<float[]> embed(String text);

}
