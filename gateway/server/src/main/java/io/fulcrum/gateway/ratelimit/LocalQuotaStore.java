package io.fulcrum.gateway.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * Buckets and leases in this process, with the same semantics as {@link RedisQuotaStore}: the embedded default, and
 * the fail-open fallback when Redis is unreachable (then with capacities divided by the replica count, so the
 * replicas together stay near the limit).
 */
public final class LocalQuotaStore implements QuotaStore {

	private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Long>> leases = new ConcurrentHashMap<>();

	private final LongSupplier clock;

	private final long divisor;

	/**
	 * @param clock milliseconds
	 * @param divisor capacities are divided by this (the replica count when standing in for Redis), at least 1
	 */
	public LocalQuotaStore(LongSupplier clock, long divisor) {
		this.clock = clock;
		this.divisor = Math.max(1, divisor);
	}

	public LocalQuotaStore() {
		this(System::currentTimeMillis, 1);
	}

	@Override
	public Mono<TakeResult> take(List<BucketSpec> specs) {
		return Mono.fromSupplier(() -> takeNow(specs));
	}

	// One lock for the whole store: a take is a few arithmetic operations per bucket, and all-or-nothing across
	// buckets needs them to be seen together.
	private synchronized TakeResult takeNow(List<BucketSpec> specs) {
		long now = this.clock.getAsLong();
		double[] levels = new double[specs.size()];
		int refused = -1;
		for (int i = 0; i < specs.size(); i++) {
			BucketSpec spec = specs.get(i);
			long capacity = capacity(spec);
			double[] state = this.buckets.computeIfAbsent(spec.key(), k -> new double[] { capacity, now });
			levels[i] = TokenBucket.refill(state[0], (long) state[1], now, capacity);
			if (refused < 0 && spec.cost() > 0 && levels[i] < spec.cost()) {
				refused = i;
			}
		}
		for (int i = 0; i < specs.size(); i++) {
			if (refused < 0) {
				levels[i] -= specs.get(i).cost();
			}
			double[] state = this.buckets.get(specs.get(i).key());
			state[0] = levels[i];
			state[1] = now;
		}
		return new TakeResult(refused, levels);
	}

	@Override
	public synchronized Mono<Void> adjust(BucketSpec spec, long delta) {
		long now = this.clock.getAsLong();
		long capacity = capacity(spec);
		double[] state = this.buckets.computeIfAbsent(spec.key(), k -> new double[] { capacity, now });
		state[0] = Math.min(capacity, TokenBucket.refill(state[0], (long) state[1], now, capacity) - delta);
		state[1] = now;
		return Mono.empty();
	}

	@Override
	public Mono<Boolean> enter(String key, long limit, String leaseId, long leaseMillis) {
		return Mono.fromSupplier(() -> {
			long now = this.clock.getAsLong();
			Map<String, Long> held = this.leases.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
			synchronized (held) {
				held.values().removeIf(expiry -> expiry <= now);
				if (held.size() >= Math.max(1, limit / this.divisor)) {
					return false;
				}
				held.put(leaseId, now + leaseMillis);
				return true;
			}
		});
	}

	@Override
	public Mono<Void> leave(String key, String leaseId) {
		Map<String, Long> held = this.leases.get(key);
		if (held != null) {
			synchronized (held) {
				held.remove(leaseId);
			}
		}
		return Mono.empty();
	}

	private long capacity(BucketSpec spec) {
		return Math.max(1, spec.capacity() / this.divisor);
	}

}
