package io.fulcrum.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Buckets and leases in Redis, shared by every gateway replica. Each operation is one Lua script, so it is atomic
 * however many replicas race; scripts read Redis's own clock ({@code TIME}), so replicas' clocks need not agree.
 * Keys carry hash tags, so a group taken together lives on one Redis Cluster slot.
 *
 * <p>When Redis fails or answers slower than {@link #TIMEOUT}, the configured {@link FailureMode} decides: fail
 * open to a per-replica {@link LocalQuotaStore} (capacities divided by the replica count), or fail closed (the
 * request is refused with 503). The state is logged on each change and exported as the gauge
 * {@code fulcrum.ratelimit.redis.available}; every call tries Redis again, so recovery needs no restart.
 */
public final class RedisQuotaStore implements QuotaStore, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisQuotaStore.class);

	static final Duration TIMEOUT = Duration.ofMillis(250);

	/** Buckets untouched this long are full again anyway; Redis drops them. */
	private static final long BUCKET_TTL_MILLIS = 120_000;

	private static final long RECONNECT_INTERVAL_NANOS = Duration.ofSeconds(2).toNanos();

	private static final long BROKEN_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

	// Redis's clock in milliseconds, so that replicas' clocks need not agree.
	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	// Bucket KEYS[i]'s level now (TokenBucket.refill), given its capacity cap.
	private static final String LEVEL = """
			  local s = redis.call('HMGET', KEYS[i], 'l', 't')
			  local l = tonumber(s[1]); local ts = tonumber(s[2])
			  if l == nil then l = cap; ts = now end
			  if now > ts then l = math.min(cap, l + (now - ts) * cap / 60000) end
			""";

	// The same arithmetic as TokenBucket. KEYS: n buckets, then leases. ARGV: n, lease id, lease ms, bucket ttl,
	// then capacity, cost and reserve per bucket, then limit per lease. Returns {refused (0 = none, else 1-based over
	// buckets then leases), level of each bucket}.
	private static final String TAKE = NOW + """
			local n = tonumber(ARGV[1])
			local levels = {}
			local refused = 0
			for i = 1, n do
			  local cap = tonumber(ARGV[2 + 3 * i]); local cost = tonumber(ARGV[3 + 3 * i])
			""" + LEVEL + """
			  levels[i] = l
			  if refused == 0 and cost > 0 and l < cost + tonumber(ARGV[4 + 3 * i]) then refused = i end
			end
			for j = n + 1, #KEYS do
			  if refused ~= 0 then break end
			  redis.call('ZREMRANGEBYSCORE', KEYS[j], '-inf', now)
			  if redis.call('ZCARD', KEYS[j]) >= tonumber(ARGV[4 + 3 * n + (j - n)]) then refused = j end
			end
			local out = {refused}
			for i = 1, n do
			  local l = levels[i]
			  if refused == 0 then l = l - tonumber(ARGV[3 + 3 * i]) end
			  redis.call('HSET', KEYS[i], 'l', tostring(l), 't', now)
			  redis.call('PEXPIRE', KEYS[i], ARGV[4])
			  out[i + 1] = tostring(l)
			end
			if refused == 0 then
			  for j = n + 1, #KEYS do
			    redis.call('ZADD', KEYS[j], now + tonumber(ARGV[3]), ARGV[2])
			    redis.call('PEXPIRE', KEYS[j], ARGV[3])
			  end
			end
			return out
			""";

	// KEYS: n buckets, then leases. ARGV: n, lease id, bucket ttl, then capacity and delta per bucket.
	private static final String SETTLE = NOW + """
			local n = tonumber(ARGV[1])
			for i = 1, n do
			  local cap = tonumber(ARGV[2 + 2 * i]); local delta = tonumber(ARGV[3 + 2 * i])
			""" + LEVEL + """
			  l = math.min(cap, l - delta)
			  redis.call('HSET', KEYS[i], 'l', tostring(l), 't', now)
			  redis.call('PEXPIRE', KEYS[i], ARGV[3])
			end
			for j = n + 1, #KEYS do redis.call('ZREM', KEYS[j], ARGV[2]) end
			return 1
			""";

	private static final String TAKE_SHA = sha1(TAKE);

	private static final String SETTLE_SHA = sha1(SETTLE);

	/** What to do while Redis cannot be reached. */
	public enum FailureMode {

		/** Keep serving with a per-replica limiter (each replica gets limit / replicas). */
		OPEN,

		/** Refuse limited requests (503) until Redis is back. */
		CLOSED

	}

	private final ClientResources resources;

	private final RedisClient client;

	private final RedisURI uri;

	private final FailureMode failureMode;

	private final LocalQuotaStore fallback;

	private final AtomicBoolean available = new AtomicBoolean(true);

	private final Counter fallbacks;

	private volatile @Nullable StatefulRedisConnection<String, String> connection;

	private @Nullable Mono<StatefulRedisConnection<String, String>> connecting;

	private boolean connectFailed;

	private volatile long failingSinceNanos;

	private long nextConnectAttempt;

	/**
	 * @param redisUri e.g. {@code redis://127.0.0.1:6379}
	 * @param failureMode open or closed while Redis is unreachable
	 * @param replicas how many gateway replicas share the limits (the fail-open limiter divides by it)
	 */
	public RedisQuotaStore(String redisUri, FailureMode failureMode, long replicas, MeterRegistry meters) {
		this.uri = RedisURI.create(redisUri);
		this.failureMode = failureMode;
		this.fallback = new LocalQuotaStore(System::currentTimeMillis, replicas);
		this.resources = DefaultClientResources.create();
		this.client = RedisClient.create(this.resources);
		// While Redis is down, fail commands at once (and fall back) instead of queueing them without bound. A lost
		// connection is replaced by this class (see dropIfBroken) rather than by Lettuce's reconnect schedule, which
		// backs off to 30 s.
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		Gauge.builder("fulcrum.ratelimit.redis.available", this.available, a -> a.get() ? 1 : 0)
			.description("1 while rate limits are shared through Redis, 0 while Redis cannot be reached")
			.register(meters);
		this.fallbacks = Counter.builder("fulcrum.ratelimit.redis.fallbacks")
			.description("Rate-limit operations decided without Redis (fail open) or refused (fail closed)")
			.register(meters);
		connecting().subscribe(opened -> {
		}, ex -> markAvailable(false, ex));
	}

	@Override
	public Mono<TakeResult> take(List<BucketSpec> buckets, List<LeaseSpec> leases, String leaseId,
			long leaseMillis) {
		int n = buckets.size();
		String[] keys = new String[n + leases.size()];
		String[] args = new String[4 + 3 * n + leases.size()];
		args[0] = Integer.toString(n);
		args[1] = leaseId;
		args[2] = Long.toString(leaseMillis);
		args[3] = Long.toString(BUCKET_TTL_MILLIS);
		for (int i = 0; i < n; i++) {
			keys[i] = buckets.get(i).key();
			args[4 + 3 * i] = Long.toString(buckets.get(i).capacity());
			args[5 + 3 * i] = Long.toString(buckets.get(i).cost());
			args[6 + 3 * i] = Long.toString(buckets.get(i).reserve());
		}
		for (int j = 0; j < leases.size(); j++) {
			keys[n + j] = leases.get(j).key();
			args[4 + 3 * n + j] = Long.toString(leases.get(j).limit());
		}
		Mono<TakeResult> viaRedis = commands()
			.flatMap(redis -> this.<List<Object>>run(redis, TAKE, TAKE_SHA, ScriptOutputType.MULTI, keys, args))
			.map(result -> {
				double[] levels = new double[n];
				for (int i = 0; i < n; i++) {
					levels[i] = Double.parseDouble(String.valueOf(result.get(i + 1)));
				}
				return new TakeResult((int) (long) (Long) result.get(0) - 1, levels);
			});
		return guarded(viaRedis, () -> this.fallback.take(buckets, leases, leaseId, leaseMillis));
	}

	@Override
	public Mono<Void> settle(List<BucketSpec> buckets, long[] deltas, List<LeaseSpec> leases, String leaseId) {
		if (buckets.isEmpty() && leases.isEmpty()) {
			return Mono.empty();
		}
		int n = buckets.size();
		String[] keys = new String[n + leases.size()];
		String[] args = new String[3 + 2 * n];
		args[0] = Integer.toString(n);
		args[1] = leaseId;
		args[2] = Long.toString(BUCKET_TTL_MILLIS);
		for (int i = 0; i < n; i++) {
			keys[i] = buckets.get(i).key();
			args[3 + 2 * i] = Long.toString(buckets.get(i).capacity());
			args[4 + 2 * i] = Long.toString(deltas[i]);
		}
		for (int j = 0; j < leases.size(); j++) {
			keys[n + j] = leases.get(j).key();
		}
		Mono<Boolean> viaRedis = commands()
			.flatMap(redis -> this.<Long>run(redis, SETTLE, SETTLE_SHA, ScriptOutputType.INTEGER, keys, args))
			.thenReturn(true);
		return guarded(viaRedis, () -> this.fallback.settle(buckets, deltas, leases, leaseId).thenReturn(true))
			.then();
	}

	/**
	 * Runs another component's Lua script on this store's connection (budgets share it rather than open their own),
	 * under the same timeout and broken-connection handling. Errors are passed on: the caller decides whether to
	 * fail open or closed. {@code sha} must be the script's SHA-1 (see {@link #sha1}).
	 */
	public Mono<List<Object>> script(String script, String sha, String[] keys, String[] args) {
		return commands()
			.flatMap(redis -> this.<List<Object>>run(redis, script, sha, ScriptOutputType.MULTI, keys, args))
			.timeout(TIMEOUT)
			.doOnNext(ok -> this.failingSinceNanos = 0)
			.doOnError(ex -> dropIfBroken());
	}

	/**
	 * Runs a script by its SHA-1 (a few dozen bytes on the wire instead of the script), sending the script itself
	 * only when Redis does not have it cached yet (after a restart or a flush).
	 */
	private <T> Mono<T> run(RedisReactiveCommands<String, String> redis, String script, String sha,
			ScriptOutputType type, String[] keys, String[] args) {
		return redis.<T>evalsha(sha, type, keys, args)
			.next()
			.onErrorResume(RedisNoScriptException.class, ex -> redis.<T>eval(script, type, keys, args).next());
	}

	/** The SHA-1 by which Redis caches {@code script}. */
	public static String sha1(String script) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	/** Runs {@code viaRedis}; on failure or timeout, the fallback (open) or an error (closed). */
	private <T> Mono<T> guarded(Mono<T> viaRedis, java.util.function.Supplier<Mono<T>> local) {
		return viaRedis.timeout(TIMEOUT).doOnNext(ok -> {
			this.failingSinceNanos = 0;
			markAvailable(true, null);
		}).onErrorResume(ex -> {
			markAvailable(false, ex);
			dropIfBroken();
			this.fallbacks.increment();
			if (this.failureMode == FailureMode.OPEN) {
				return local.get();
			}
			return Mono.error(new RateLimiterUnavailableException());
		});
	}

	/**
	 * The connection, opened without blocking and shared by concurrent callers; Lettuce reconnects an established
	 * one by itself. A failed connect is retried at most every two seconds.
	 */
	private Mono<RedisReactiveCommands<String, String>> commands() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			return Mono.just(current.reactive());
		}
		return connecting().map(StatefulRedisConnection::reactive);
	}

	/**
	 * Forgets a connection that lost its server, or that has failed every call for a second, so that the next call
	 * opens a new one (new attempts at most every two seconds while Redis stays down).
	 */
	private synchronized void dropIfBroken() {
		long now = System.nanoTime();
		if (this.failingSinceNanos == 0) {
			this.failingSinceNanos = now;
		}
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null && (!current.isOpen() || now - this.failingSinceNanos > BROKEN_AFTER_NANOS)) {
			this.connection = null;
			this.connecting = null;
			this.failingSinceNanos = now;
			current.closeAsync();
		}
	}

	private synchronized Mono<StatefulRedisConnection<String, String>> connecting() {
		long now = System.nanoTime();
		if (this.connecting == null || (this.connectFailed && now - this.nextConnectAttempt >= 0)) {
			this.connectFailed = false;
			this.connecting = Mono
				.fromFuture(() -> this.client.connectAsync(StringCodec.UTF8, this.uri).toCompletableFuture())
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
				log.info("Rate limits are shared through Redis again");
			}
			else {
				log.warn("Redis is unreachable for rate limits ({}); failing {}", cause,
						this.failureMode == FailureMode.OPEN ? "open to per-replica limits" : "closed");
			}
		}
	}

	/** Whether the last operation reached Redis. */
	public boolean available() {
		return this.available.get();
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
		this.client.shutdown();
		this.resources.shutdown();
	}

}
