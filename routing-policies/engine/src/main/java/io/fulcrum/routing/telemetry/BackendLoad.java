package io.fulcrum.routing.telemetry;

/**
 * The load a local GPU backend reports (vLLM's meaning): requests running in the batch, requests waiting, and the
 * share of its KV cache in use.
 *
 * @param running requests in the running batch
 * @param waiting requests queued
 * @param kvCacheUsage fraction of KV-cache blocks in use, 0 to 1
 * @param atNanos when it was reported, on the router's clock
 */
public record BackendLoad(int running, int waiting, double kvCacheUsage, long atNanos) {

	/** A report older than this is ignored: the backend may have restarted or stopped reporting. */
	public static final long STALE_AFTER_NANOS = 5_000_000_000L;

}
