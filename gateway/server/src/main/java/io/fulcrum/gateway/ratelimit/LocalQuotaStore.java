package io.fulcrum.gateway.ratelimit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * Buckets and leases in this process, with the same semantics as {@link RedisQuotaStore}: the embedded default, and
 * the fail-open fallback when Redis is unreachable (then with limits divided by the replica count, so the replicas
 * together stay near the limit).
 */
public final class LocalQuotaStore implements QuotaStore {

	private final Map<String, double[]> buckets = new HashMap<>();

	private final Map<String, Map<String, Long>> leases = new HashMap<>();

	private final LongSupplier clock;

	private final long divisor;

	/**
	 * @param clock milliseconds
	 * @param divisor limits are divided by this (the replica count when standing in for Redis), at least 1
	 */
	public LocalQuotaStore(LongSupplier clock, long divisor) {
		this.clock = clock;
		this.divisor = Math.max(1, divisor);
	}

	public LocalQuotaStore() {
		this(System::currentTimeMillis, 1);
	}

	@Override
	public Mono<TakeResult> take(List<BucketSpec> specs, List<LeaseSpec> leaseSpecs, String leaseId,
			long leaseMillis) {
		return Mono.fromSupplier(() -> takeNow(specs, leaseSpecs, leaseId, leaseMillis));
	}

	// One lock for the whole store: a take is a few arithmetic operations per bucket, and all-or-nothing across
	// buckets and leases needs them to be seen together.
	private synchronized TakeResult takeNow(List<BucketSpec> specs, List<LeaseSpec> leaseSpecs, String leaseId,
			long leaseMillis) {
		long now = this.clock.getAsLong();
		double[] levels = new double[specs.size()];
		int refused = -1;
		for (int i = 0; i < specs.size(); i++) {
			BucketSpec spec = specs.get(i);
			levels[i] = level(spec, now);
			if (refused < 0 && spec.cost() > 0 && levels[i] < spec.cost() + spec.reserve() / (double) this.divisor) {
				refused = i;
			}
		}
		for (int j = 0; refused < 0 && j < leaseSpecs.size(); j++) {
			Map<String, Long> held = held(leaseSpecs.get(j).key(), now);
			if (held.size() >= Math.max(1, leaseSpecs.get(j).limit() / this.divisor)) {
				refused = specs.size() + j;
			}
		}
		for (int i = 0; i < specs.size(); i++) {
			if (refused < 0) {
				levels[i] -= specs.get(i).cost();
			}
			this.buckets.put(specs.get(i).key(), new double[] { levels[i], now });
		}
		if (refused < 0) {
			for (LeaseSpec lease : leaseSpecs) {
				held(lease.key(), now).put(leaseId, now + leaseMillis);
			}
		}
		return new TakeResult(refused, levels);
	}

	@Override
	public synchronized Mono<Void> settle(List<BucketSpec> specs, long[] deltas, List<LeaseSpec> leaseSpecs,
			String leaseId) {
		long now = this.clock.getAsLong();
		for (int i = 0; i < specs.size(); i++) {
			BucketSpec spec = specs.get(i);
			double level = Math.min(capacity(spec), level(spec, now) - deltas[i]);
			this.buckets.put(spec.key(), new double[] { level, now });
		}
		for (LeaseSpec lease : leaseSpecs) {
			held(lease.key(), now).remove(leaseId);
		}
		return Mono.empty();
	}

	private double level(BucketSpec spec, long now) {
		long capacity = capacity(spec);
		double[] state = this.buckets.get(spec.key());
		return state == null ? capacity : TokenBucket.refill(state[0], (long) state[1], now, capacity);
	}

	private Map<String, Long> held(String key, long now) {
		Map<String, Long> held = this.leases.computeIfAbsent(key, k -> new HashMap<>());
		held.values().removeIf(expiry -> expiry <= now);
		return held;
	}

	private long capacity(BucketSpec spec) {
		return Math.max(1, spec.capacity() / this.divisor);
	}

}
