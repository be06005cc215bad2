package io.fulcrum.gateway.cache;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.protocol.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The cache as the request path sees it, ahead of rate limits, budgets and routing: {@link #open} decides what a
 * request may do and computes its key, {@link #lookup} finds a hit (which ends the request: {@link #hit} meters it),
 * and after a miss {@link #store} keeps the successful, complete answer. Storing is off the request path: the answer
 * goes to the client without waiting for the store.
 */
public final class ResponseCaching {

	private final CachePolicy policy;

	private final ResponseCache cache;

	private final CacheHitMeter meter;

	private final Counter hits;

	private final Counter misses;

	private final Counter bypasses;

	private final Counter stores;

	public ResponseCaching(CachePolicy policy, ResponseCache cache, CacheHitMeter meter, MeterRegistry registry) {
		this.policy = policy;
		this.cache = cache;
		this.meter = meter;
		this.hits = Counter.builder("fulcrum.cache.lookups").tag("result", "hit").register(registry);
		this.misses = Counter.builder("fulcrum.cache.lookups").tag("result", "miss").register(registry);
		this.bypasses = Counter.builder("fulcrum.cache.lookups").tag("result", "bypass").register(registry);
		this.stores = Counter.builder("fulcrum.cache.stores").register(registry);
	}

	/** What the cache may do for {@code request}, from its body and its {@code x-fulcrum-cache} and {@code Cache-Control} headers. */
	public CacheTicket open(InferenceRequest request, CacheEndpoint endpoint, @Nullable String cacheHeader,
			@Nullable String cacheControl) {
		CacheMode mode = this.policy.decide(endpoint, request.body(), cacheHeader, cacheControl);
		if (!mode.looksUp()) {
			this.bypasses.increment();
			return new CacheTicket(endpoint, mode, null);
		}
		return new CacheTicket(endpoint, mode,
				CacheRequest.of(request.tenantId(), request.alias().name(), endpoint, request.body()));
	}

	/** The cached answer, or empty on a miss or a bypass. */
	public Mono<CachedResponse> lookup(CacheTicket ticket) {
		CacheRequest asked = ticket.request();
		if (asked == null) {
			return Mono.empty();
		}
		return this.cache.lookup(asked).doOnNext(hit -> this.hits.increment()).switchIfEmpty(Mono.fromRunnable(this.misses::increment));
	}

	/** Removes every cached entry of {@code tenantId} (exact and semantic); completes with how many. */
	public Mono<Long> purgeTenant(String tenantId) {
		return this.cache.purgeTenant(tenantId);
	}

	/** Meters a hit: a cache-hit usage record at the tenant's cache price, with what it saved. */
	public void hit(InferenceRequest request, CachedResponse entry) {
		this.meter.hit(request, entry);
	}

	/**
	 * Stores a successful, complete answer after a miss, when the ticket allows and the answer reported its usage;
	 * the write runs in the background.
	 * @param body the answer's JSON (for a stream, the assembled {@code chat.completion})
	 * @param usage the answer's {@code usage} object
	 */
	public void store(CacheTicket ticket, InferenceRequest request, byte[] body, @Nullable JsonNode usage) {
		CacheRequest asked = ticket.request();
		Deployment servedBy = request.servedBy();
		if (asked == null || !ticket.mode().stores() || servedBy == null || usage == null || !usage.isObject()) {
			return;
		}
		Long input = Json.longValue(usage, "prompt_tokens");
		if (input == null) {
			return;
		}
		Long output = Json.longValue(usage, "completion_tokens");
		Long cached = Json.longValue(usage.path("prompt_tokens_details"), "cached_tokens");
		TokenUsage tokens = TokenUsage.exact(input, cached != null ? cached : 0, output != null ? output : 0);
		this.cache.store(asked, new CachedResponse(body, servedBy.id(), servedBy.upstreamModel(), tokens))
			.doOnSuccess(done -> this.stores.increment())
			.subscribe();
	}

}
