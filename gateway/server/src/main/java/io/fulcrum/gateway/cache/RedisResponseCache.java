package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Entries in Redis, shared by every replica: {@code SET prefix+key value PX ttl}, read with {@code GET}. Redis has no
 * size bound per key set, so the bound here is per entry ({@code maxEntryBytes}; larger answers are not stored) and
 * the total is Redis's own {@code maxmemory} with a volatile eviction policy (every entry has a TTL). A lookup that
 * Redis does not answer within {@code lookupTimeout}, or at all, is a miss; a failed write is dropped.
 */
public final class RedisResponseCache implements ResponseCache, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisResponseCache.class);

	private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private final RedisClient client;

	private final RedisURI uri;

	private final String prefix;

	private final Duration ttl;

	private final long maxEntryBytes;

	private final Duration lookupTimeout;

	private final AtomicReference<@Nullable Mono<StatefulRedisConnection<String, byte[]>>> connection =
			new AtomicReference<>();

	public RedisResponseCache(String redisUri, String prefix, Duration ttl, long maxEntryBytes,
			Duration lookupTimeout) {
		this.uri = RedisURI.create(redisUri);
		this.client = RedisClient.create();
		this.prefix = prefix;
		this.ttl = ttl;
		this.maxEntryBytes = maxEntryBytes;
		this.lookupTimeout = lookupTimeout;
	}

	@Override
	public Mono<CachedResponse> lookup(CacheRequest request) {
		return connection().flatMap(c -> c.reactive().get(this.prefix + request.key().value()))
			.timeout(this.lookupTimeout)
			.mapNotNull(CachedResponse::decode)
			.onErrorResume(ex -> {
				log.debug("Cache lookup failed, treated as a miss: {}", ex.toString());
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> store(CacheRequest request, CachedResponse response) {
		if (response.weight() > this.maxEntryBytes) {
			return Mono.empty();
		}
		String tenantKeys = tenantKeys(request.tenantId());
		return connection().flatMap(c -> c.reactive()
			.set(this.prefix + request.key().value(), response.encode(), SetArgs.Builder.px(this.ttl.toMillis()))
			.then(c.reactive().sadd(tenantKeys, bytes(request.key().value())))
			.then(c.reactive().pexpire(tenantKeys, this.ttl.toMillis())))
			.then()
			.onErrorResume(ex -> {
				log.debug("Cache store failed, entry dropped: {}", ex.toString());
				return Mono.empty();
			});
	}

	/**
	 * Deletes the tenant's entries: every store also adds the entry's key to the tenant's set
	 * ({@code prefix + "tenant:" + id}, expiring with its newest entry), since the entry keys are digests.
	 */
	@Override
	public Mono<Long> purgeTenant(String tenantId) {
		String tenantKeys = tenantKeys(tenantId);
		return connection().flatMap(c -> c.reactive()
			.smembers(tenantKeys)
			.map(member -> this.prefix + new String(member, java.nio.charset.StandardCharsets.UTF_8))
			.buffer(500)
			.concatMap(keys -> c.reactive().del(keys.toArray(String[]::new)))
			.reduce(0L, Long::sum)
			.flatMap(removed -> c.reactive().del(tenantKeys).thenReturn(removed)));
	}

	private String tenantKeys(String tenantId) {
		return this.prefix + "tenant:" + tenantId;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/** One shared connection, opened on first use; opened again after a failure to connect or a closed one. */
	private Mono<StatefulRedisConnection<String, byte[]>> connection() {
		Mono<StatefulRedisConnection<String, byte[]>> current = this.connection.get();
		if (current == null) {
			Mono<StatefulRedisConnection<String, byte[]>> opening = Mono
				.fromCompletionStage(() -> this.client.connectAsync(CODEC, this.uri))
				.cache(ok -> Duration.ofDays(3650), failed -> Duration.ZERO, () -> Duration.ZERO);
			current = this.connection.compareAndExchange(null, opening);
			if (current == null) {
				current = opening;
			}
		}
		Mono<StatefulRedisConnection<String, byte[]>> used = current;
		return used.flatMap(c -> {
			if (!c.isOpen()) {
				this.connection.compareAndSet(used, null);
				return Mono.error(new IllegalStateException("Redis connection closed"));
			}
			return Mono.just(c);
		});
	}

	@Override
	public void close() {
		this.client.shutdown();
	}

}
