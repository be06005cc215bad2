package io.fulcrum.gateway.cache;

/** The APIs whose answers may be cached; part of every key, so that a chat and an embeddings body never collide. */
public enum CacheEndpoint {

	/** OpenAI's {@code /v1/chat/completions}, whole or streamed (a streamed request shares the whole one's entry). */
	CHAT,

	/** OpenAI's {@code /v1/embeddings}: deterministic, so always eligible. */
	EMBEDDINGS

}
