package io.fulcrum.gateway.provider;

import io.fulcrum.gateway.catalog.Deployment;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls one provider protocol. Requests and results are in the canonical shape: OpenAI's Chat Completions and
 * Embeddings JSON. Implementations never block, translate every failure into a {@link ProviderException}, and
 * cancel the upstream call when the returned publisher is cancelled.
 */
public interface ProviderClient {

	/**
	 * Streams a chat completion. The client asks the provider for usage, so the last chunk before completion
	 * normally is a usage chunk (empty {@code choices}, a {@code usage} object).
	 * @param request the canonical request; not modified
	 * @param deployment where to send it
	 * @return {@code chat.completion.chunk}s in order
	 */
	Flux<StreamChunk> streamChat(ObjectNode request, Deployment deployment);

	/** Runs a chat completion to its end and returns the {@code chat.completion} object. */
	Mono<Completion> completeChat(ObjectNode request, Deployment deployment);

	/** Embeds the request's input and returns OpenAI's embeddings list object. */
	Mono<ObjectNode> embed(ObjectNode request, Deployment deployment);

}
