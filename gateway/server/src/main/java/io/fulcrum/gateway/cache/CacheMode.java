package io.fulcrum.gateway.cache;

/** What the cache does for one request. */
public enum CacheMode {

	/** Neither looked up nor stored: caching is off, the client said so, or the request may not be cached. */
	BYPASS,

	/** Looked up, but the answer is not stored ({@code Cache-Control: no-store}). */
	LOOKUP_ONLY,

	/** Looked up; on a miss, a successful complete answer is stored. */
	LOOKUP_AND_STORE;

	public boolean looksUp() {
		return this != BYPASS;
	}

	public boolean stores() {
		return this == LOOKUP_AND_STORE;
	}

}
