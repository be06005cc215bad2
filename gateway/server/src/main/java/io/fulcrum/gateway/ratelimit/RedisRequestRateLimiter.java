package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Fixed-window limiter in Redis, shared by every gateway replica. One Lua script increments the window's counter
 * and sets its expiry atomically, so concurrent replicas never over-admit. The key's hash tag keeps it on one
 * Redis Cluster slot.
 *
 * <p>When Redis fails or is slow (over 250 ms), the request is counted by the {@link LocalRequestRateLimiter}
 * instead (fail open, per replica) and the outage is logged and exported as the gauge
 * {@code fulcrum.ratelimit.redis.available}; the next call tries Redis again, so recovery needs no restart.
 */
public final class RedisRequestRateLimiter implements RequestRateLimiter, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisRequestRateLimiter.class);

	// KEYS[1] = counter; ARGV[1] = window ms. Returns {count, ms until the window ends}.
	private static final String SCRIPT = """
			local count = redis.call('INCR', KEYS[1])
			if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
			local ttl = redis.call('PTTL', KEYS[1])
			if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
			return {count, ttl}
			""";

	private static final long WINDOW_MILLIS = 60_000;

	private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

	private static final long RECONNECT_INTERVAL_NANOS = Duration.ofSeconds(2).toNanos();

	private final RedisClient client;

	private final RedisURI uri;

	private volatile @Nullable StatefulRedisConnection<String, String> connection;

	private @Nullable Mono<StatefulRedisConnection<String, String>> connecting;

	private boolean connectFailed;

	private long nextConnectAttempt;

	private final LocalRequestRateLimiter fallback = new LocalRequestRateLimiter();

	private final AtomicBoolean available = new AtomicBoolean(true);

	public RedisRequestRateLimiter(String redisUri, MeterRegistry meters) {
		this.uri = RedisURI.create(redisUri);
		this.client = RedisClient.create();
		// While Redis is down, fail commands at once (and fall back) instead of queueing them without bound.
		this.client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		Gauge.builder("fulcrum.ratelimit.redis.available", this.available, a -> a.get() ? 1 : 0)
			.description("1 while the rate limiter reaches Redis, 0 while it falls back to per-replica limits")
			.register(meters);
		connecting().subscribe(opened -> {
		}, ex -> markAvailable(false, ex));
	}

	@Override
	public Mono<RateLimitDecision> acquire(String key, long limitPerMinute) {
		long now = System.currentTimeMillis();
		String redisKey = "fulcrum:rl:{" + key + "}:" + (now / WINDOW_MILLIS);
		return commands()
			.flatMap(redis -> redis
				.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, new String[] { redisKey },
						Long.toString(WINDOW_MILLIS))
				.next())
			.timeout(REDIS_TIMEOUT)
			.map(result -> {
				markAvailable(true, null);
				long count = (Long) result.get(0);
				long ttl = (Long) result.get(1);
				return new RateLimitDecision(count <= limitPerMinute, limitPerMinute,
						Math.max(0, limitPerMinute - count), Duration.ofMillis(ttl));
			})
			.onErrorResume(ex -> {
				markAvailable(false, ex);
				return this.fallback.acquire(key, limitPerMinute);
			});
	}

	/**
	 * The connection, opened without blocking and shared by concurrent callers; Lettuce reconnects an established
	 * one by itself. A failed connect is retried at most every two seconds, so a gateway started while Redis was
	 * down switches to it once it is up.
	 */
	private Mono<RedisReactiveCommands<String, String>> commands() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			return Mono.just(current.reactive());
		}
		return connecting().map(StatefulRedisConnection::reactive);
	}

	private synchronized Mono<StatefulRedisConnection<String, String>> connecting() {
		long now = System.nanoTime();
		if (this.connecting == null || (this.connectFailed && now - this.nextConnectAttempt >= 0)) {
			this.connectFailed = false;
			this.connecting = Mono.fromFuture(() -> this.client.connectAsync(StringCodec.UTF8, this.uri).toCompletableFuture())
				.doOnNext(opened -> this.connection = opened)
				.doOnError(ex -> {
					synchronized (this) {
						this.connectFailed = true;
						this.nextConnectAttempt = System.nanoTime() + RECONNECT_INTERVAL_NANOS;
					}
				})
				.cache();
		}
		return this.connecting;
	}

	private void markAvailable(boolean now, @Nullable Throwable cause) {
		if (this.available.compareAndSet(!now, now)) {
			if (now) {
				log.info("Rate limiter reaches Redis again; limits are shared across replicas");
			}
			else {
				log.warn("Rate limiter cannot reach Redis ({}); limiting per replica until it returns",
						cause != null ? cause.toString() : "unknown");
			}
		}
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
		this.client.shutdown();
	}

}
