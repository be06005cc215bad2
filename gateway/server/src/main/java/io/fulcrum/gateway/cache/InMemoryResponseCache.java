package io.fulcrum.gateway.cache;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The embedded default: a Caffeine cache in this process, bounded by the bytes its entries hold (least recently and
 * frequently used go first) and expiring each entry its TTL after it was written. An entry larger than
 * {@code maxEntryBytes} is not stored. Maintenance runs on the calling thread: nothing is handed to a pool.
 */
public final class InMemoryResponseCache implements ResponseCache {

	private final Cache<CacheKey, Entry> entries;

	/** An entry and its tenant, so that a tenant's entries can be purged (keys are digests). */
	private record Entry(String tenantId, CachedResponse response) {
	}

	private final long maxEntryBytes;

	public InMemoryResponseCache(Duration ttl, long maxBytes, long maxEntryBytes) {
		this(ttl, maxBytes, maxEntryBytes, Ticker.systemTicker());
	}

	InMemoryResponseCache(Duration ttl, long maxBytes, long maxEntryBytes, Ticker ticker) {
		this.entries = Caffeine.newBuilder()
			.expireAfterWrite(ttl)
			.maximumWeight(maxBytes)
			.weigher((CacheKey key, Entry value) -> value.response().weight() + value.tenantId().length())
			.executor(Runnable::run)
			.ticker(ticker)
			.build();
		this.maxEntryBytes = maxEntryBytes;
	}

	@Override
	public Mono<CachedResponse> lookup(CacheRequest request) {
		return Mono.justOrEmpty(get(request.key()));
	}

	/** The entry, synchronously; for the benchmark and for tests. */
	public @Nullable CachedResponse get(CacheKey key) {
		Entry entry = this.entries.getIfPresent(key);
		return entry != null ? entry.response() : null;
	}

	@Override
	public Mono<Void> store(CacheRequest request, CachedResponse response) {
		put(request.tenantId(), request.key(), response);
		return Mono.empty();
	}

	/** Scans every entry (an admin operation, not on the request path). */
	@Override
	public Mono<Long> purgeTenant(String tenantId) {
		return Mono.fromSupplier(() -> {
			long[] removed = { 0 };
			this.entries.asMap().values().removeIf(entry -> {
				boolean match = entry.tenantId().equals(tenantId);
				if (match) {
					removed[0]++;
				}
				return match;
			});
			return removed[0];
		});
	}

	/** How many entries are held, once pending evictions have run. */
	long entries() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/** Stores {@code response} under {@code key} for no tenant in particular; for the benchmark and for tests. */
	public void put(CacheKey key, CachedResponse response) {
		put("", key, response);
	}

	private void put(String tenantId, CacheKey key, CachedResponse response) {
		if (response.weight() <= this.maxEntryBytes) {
			this.entries.put(key, new Entry(tenantId, response));
		}
	}

}
