package io.fulcrum.gateway.budget;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fulcrum.gateway.ratelimit.RedisQuotaStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Budget counters in Redis, shared by every replica, on the rate limiter's Lettuce connection. Each step is one Lua
 * script, so concurrent reservations from any number of replicas cannot together pass a hard limit. Amounts are
 * integer nano-dollars, changed only with {@code HINCRBY} (exact 64-bit); comparisons in Lua are exact below 2^53
 * (about 9 million USD, above the largest budget allowed).
 *
 * <p>Each counter is three keys sharing its hash tag: a hash {@code K} ({@code s} spent, {@code r} reserved), a
 * sorted set {@code K:h} of hold ids by lease expiry and a hash {@code K:a} of hold amounts. All three expire after
 * the period. Scripts read Redis's clock, so replicas' clocks need not agree for leases.
 *
 * <p>When Redis fails: failing open, this replica decides alone with a {@link LocalSpendStore} (seeded from the
 * ledger like any fresh counter), and a request reserved there settles there; failing closed, the request is
 * refused with 503 {@code budget_unavailable}.
 */
public final class RedisSpendStore implements SpendStore {

	private static final Logger log = LoggerFactory.getLogger(RedisSpendStore.class);

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	// Drops a hold's amount from the reserved total. Zero is skipped: Lua's -0 reaches Redis as "-0", which HINCRBY
	// refuses as not an integer.
	private static final String RELEASE = """
			local function release(k, a, id, held)
			  if held ~= '0' then redis.call('HINCRBY', k, 'r', '-' .. held) end
			  redis.call('HDEL', a, id)
			end
			""";

	// KEYS: 3 per counter (K, K:h, K:a). ARGV: amount, hold id, lease ms, then limit, hard (1/0), expire-at ms per
	// counter. Returns {status, used...}: status 0 reserved, i > 0 counter i refused, -i counter i unseeded.
	private static final String RESERVE = NOW + RELEASE + """
			local n = #KEYS / 3
			local amount = tonumber(ARGV[1])
			local used = {}
			for i = 1, n do
			  local k = KEYS[3 * i - 2]; local h = KEYS[3 * i - 1]; local a = KEYS[3 * i]
			  local s = redis.call('HGET', k, 's')
			  if not s then return {-i} end
			  local expired = redis.call('ZRANGEBYSCORE', h, '-inf', now)
			  for _, id in ipairs(expired) do
			    local held = redis.call('HGET', a, id)
			    if held then release(k, a, id, held) end
			    redis.call('ZREM', h, id)
			  end
			  used[i] = tonumber(s) + tonumber(redis.call('HGET', k, 'r') or '0')
			end
			local status = 0
			for i = 1, n do
			  local base = 1 + 3 * i
			  if status == 0 and ARGV[base + 1] == '1' and used[i] + amount > tonumber(ARGV[base]) then status = i end
			end
			if status == 0 then
			  for i = 1, n do
			    local k = KEYS[3 * i - 2]; local h = KEYS[3 * i - 1]; local a = KEYS[3 * i]
			    local at = ARGV[3 + 3 * i]
			    redis.call('HINCRBY', k, 'r', amount)
			    redis.call('ZADD', h, now + tonumber(ARGV[3]), ARGV[2])
			    redis.call('HSET', a, ARGV[2], ARGV[1])
			    redis.call('PEXPIREAT', k, at); redis.call('PEXPIREAT', h, at); redis.call('PEXPIREAT', a, at)
			  end
			end
			local out = {status}
			for i = 1, n do out[i + 1] = string.format('%.0f', used[i]) end
			return out
			""";

	// KEYS: 3 per counter. ARGV: hold id, actual. Drops the hold, adds the actual cost to seeded counters.
	private static final String SETTLE = RELEASE + """
			for i = 1, #KEYS / 3 do
			  local k = KEYS[3 * i - 2]; local h = KEYS[3 * i - 1]; local a = KEYS[3 * i]
			  local held = redis.call('HGET', a, ARGV[1])
			  if held then release(k, a, ARGV[1], held) end
			  redis.call('ZREM', h, ARGV[1])
			  if redis.call('HEXISTS', k, 's') == 1 then redis.call('HINCRBY', k, 's', ARGV[2]) end
			end
			return {1}
			""";

	// KEYS: K. ARGV: spent, expire-at ms.
	private static final String SEED = """
			if redis.call('HSETNX', KEYS[1], 's', ARGV[1]) == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
			return {1}
			""";

	private static final String RESERVE_SHA = RedisQuotaStore.sha1(RESERVE);

	private static final String SETTLE_SHA = RedisQuotaStore.sha1(SETTLE);

	private static final String SEED_SHA = RedisQuotaStore.sha1(SEED);

	private final RedisQuotaStore redis;

	private final boolean failOpen;

	private final LocalSpendStore fallback = new LocalSpendStore();

	/** Holds taken by the fallback, which must settle there. */
	private final Set<String> localHolds = ConcurrentHashMap.newKeySet();

	private final io.micrometer.core.instrument.Counter fallbacks;

	/**
	 * @param redis the rate limiter's store, whose connection this shares
	 * @param failOpen decide per replica while Redis is unreachable (else refuse with 503)
	 */
	public RedisSpendStore(RedisQuotaStore redis, boolean failOpen, MeterRegistry meters) {
		this.redis = redis;
		this.failOpen = failOpen;
		this.fallbacks = io.micrometer.core.instrument.Counter.builder("fulcrum.budget.redis.fallbacks")
			.description("Budget steps decided without Redis (fail open) or refused (fail closed)")
			.register(meters);
	}

	@Override
	public Mono<Reservation> reserve(List<Counter> counters, String holdId, long amount, long leaseMillis) {
		int n = counters.size();
		String[] keys = keys(counters);
		String[] args = new String[3 + 3 * n];
		args[0] = Long.toString(amount);
		args[1] = holdId;
		args[2] = Long.toString(leaseMillis);
		for (int i = 0; i < n; i++) {
			args[3 + 3 * i] = Long.toString(counters.get(i).limit());
			args[4 + 3 * i] = counters.get(i).hard() ? "1" : "0";
			args[5 + 3 * i] = Long.toString(counters.get(i).expiresAtMillis());
		}
		return this.redis.script(RESERVE, RESERVE_SHA, keys, args).map(result -> {
			int status = (int) (long) (Long) result.get(0);
			if (status < 0) {
				return new Reservation(-1, -status - 1, new long[0]);
			}
			long[] used = new long[n];
			for (int i = 0; i < n; i++) {
				used[i] = Long.parseLong(String.valueOf(result.get(i + 1)));
			}
			return new Reservation(status - 1, -1, used);
		}).onErrorResume(ex -> {
			// A call that timed out here may still have run in Redis; commands on one connection run in order, so
			// this release runs after it and no hold outlives the failed call for a whole lease.
			this.redis.script(SETTLE, SETTLE_SHA, keys, new String[] { holdId, "0" }).subscribe(null, ignored -> {
			});
			return failed("reserve", ex, () -> this.fallback.reserve(counters, holdId, amount, leaseMillis)
			.doOnNext(taken -> {
				if (taken.reserved()) {
					this.localHolds.add(holdId);
				}
			}));
		});
	}

	@Override
	public Mono<Void> settle(List<Counter> counters, String holdId, long actual) {
		if (this.localHolds.remove(holdId)) {
			return this.fallback.settle(counters, holdId, actual);
		}
		return this.redis.script(SETTLE, SETTLE_SHA, keys(counters), new String[] { holdId, Long.toString(actual) })
			.then()
			.onErrorResume(ex -> {
				// The hold expires with its lease; the cost is in the ledger, which seeds the next counter.
				log.warn("Could not settle budget hold {} in Redis ({}); {} nano-dollars are missing from its "
						+ "counters until they are re-seeded", holdId, ex.toString(), actual);
				this.fallbacks.increment();
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> seed(Counter counter, long spent) {
		return this.redis
			.script(SEED, SEED_SHA, new String[] { counter.key() },
					new String[] { Long.toString(spent), Long.toString(counter.expiresAtMillis()) })
			.then()
			.onErrorResume(ex -> failed("seed", ex, () -> this.fallback.seed(counter, spent)));
	}

	private <T> Mono<T> failed(String step, Throwable ex, java.util.function.Supplier<Mono<T>> local) {
		this.fallbacks.increment();
		if (this.failOpen) {
			log.debug("Budget {} decided without Redis: {}", step, ex.toString());
			return local.get();
		}
		log.warn("Budget {} refused: Redis failed ({}) and budgets fail closed", step, ex.toString());
		return Mono.error(new BudgetUnavailableException());
	}

	private static String[] keys(List<Counter> counters) {
		String[] keys = new String[3 * counters.size()];
		for (int i = 0; i < counters.size(); i++) {
			String key = counters.get(i).key();
			keys[3 * i] = key;
			keys[3 * i + 1] = key + ":h";
			keys[3 * i + 2] = key + ":a";
		}
		return keys;
	}

}
