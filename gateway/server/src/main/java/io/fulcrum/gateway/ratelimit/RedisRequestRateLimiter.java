package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Fixed-window limiter in Redis, shared by every gateway replica. One Lua script increments the window's counter
 * and sets its expiry atomically, so concurrent replicas never over-admit. The key's hash tag keeps it on one
 * Redis Cluster slot.
 *
 * <p>When Redis fails or is slow (over 50 ms), the request is counted by the {@link LocalRequestRateLimiter}
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

	private static final Duration REDIS_TIMEOUT = Duration.ofMillis(50);

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisReactiveCommands<String, String> redis;

	private final LocalRequestRateLimiter fallback = new LocalRequestRateLimiter();

	private final AtomicBoolean available = new AtomicBoolean(true);

	public RedisRequestRateLimiter(String redisUri, MeterRegistry meters) {
		this.client = RedisClient.create(redisUri);
		this.connection = this.client.connect();
		this.redis = this.connection.reactive();
		Gauge.builder("fulcrum.ratelimit.redis.available", this.available, a -> a.get() ? 1 : 0)
			.description("1 while the rate limiter reaches Redis, 0 while it falls back to per-replica limits")
			.register(meters);
	}

	@Override
	public Mono<RateLimitDecision> acquire(String key, long limitPerMinute) {
		long now = System.currentTimeMillis();
		String redisKey = "fulcrum:rl:{" + key + "}:" + (now / WINDOW_MILLIS);
		return this.redis
			.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, new String[] { redisKey },
					Long.toString(WINDOW_MILLIS))
			.next()
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

	private void markAvailable(boolean now, Throwable cause) {
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
		this.connection.close();
		this.client.shutdown();
	}

}
