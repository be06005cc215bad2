package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Admits requests against their app key's, tenant's and model alias's limits, and attempts against their
 * deployment's. Requests per minute and tokens per minute are token buckets; a request reserves its estimated
 * tokens (prompt plus expected or maximum output) and settles to the actual count when it ends, so a stream that
 * ran past its reservation takes the excess from the next window. Concurrent requests are leases that expire by
 * themselves if a gateway dies holding them.
 *
 * <p>Key and tenant buckets share the tenant's hash tag and are taken in one atomic step; the alias's buckets
 * (another slot in Redis Cluster) in a second, and if that one refuses the first is refunded.
 */
public final class RateLimiter {

	/** A concurrency lease outlives any request (the longest total timeout) and expires if its gateway dies. */
	static final long LEASE_MILLIS = Duration.ofMinutes(10).toMillis();

	private final QuotaStore store;

	private volatile LimitBook book;

	public RateLimiter(QuotaStore store, LimitBook book) {
		this.store = store;
		this.book = book;
	}

	public LimitBook book() {
		return this.book;
	}

	/** Replaces the limits; requests already admitted settle against the buckets they took. */
	public void book(LimitBook book) {
		this.book = book;
	}

	/** Whether any tokens-per-minute limit applies, so the caller counts prompt tokens only when needed. */
	public boolean limitsTokens(String keyId, String tenantId, String alias) {
		LimitBook limits = this.book;
		return limits.key(keyId).tokensPerMinute() > 0 || limits.tenant(tenantId).tokensPerMinute() > 0
				|| limits.model(alias).tokensPerMinute() > 0;
	}

	/**
	 * Admits a request or fails with {@link RateLimitExceededException} naming the limit hit.
	 * @param estimatedTokens prompt plus expected output, asked only when a token limit applies
	 */
	public Mono<Admission> admit(String keyId, String tenantId, String alias, LongSupplier estimatedTokens) {
		LimitBook limits = this.book;
		Limits key = limits.key(keyId);
		Limits tenant = limits.tenant(tenantId);
		Limits model = limits.model(alias);
		if (!key.any() && !tenant.any() && !model.any()) {
			return Mono.just(Admission.NONE);
		}
		long tokens = limitsTokens(keyId, tenantId, alias) ? estimatedTokens.getAsLong() : 0;
		String tenantTag = "{t:" + tenantId + "}";
		String modelTag = "{m:" + alias + "}";
		List<Charge> tenantGroup = new ArrayList<>();
		charges(tenantGroup, "fulcrum:rl:" + tenantTag + ":key:" + keyId, "this API key", key, tokens);
		charges(tenantGroup, "fulcrum:rl:" + tenantTag + ":tenant", "this tenant", tenant, tokens);
		List<Charge> modelGroup = new ArrayList<>();
		charges(modelGroup, "fulcrum:rl:" + modelTag, "model '" + alias + "'", model, tokens);
		for (Charge charge : concat(tenantGroup, modelGroup)) {
			if (charge.bucket.cost() > charge.bucket.capacity()) {
				return Mono.error(new RateLimitExceededException("This request needs about " + tokens
						+ " tokens, more than " + charge.what + " may use in a minute (" + charge.bucket.capacity()
						+ "); lower max_tokens or split the request", Duration.ofSeconds(60), null));
			}
		}
		List<Lease> leases = new ArrayList<>();
		lease(leases, "fulcrum:rc:" + tenantTag + ":key:" + keyId, "this API key", key);
		lease(leases, "fulcrum:rc:" + tenantTag + ":tenant", "this tenant", tenant);
		lease(leases, "fulcrum:rc:" + modelTag, "model '" + alias + "'", model);
		String leaseId = UUID.randomUUID().toString();
		return take(tenantGroup).flatMap(first -> {
			if (!first.allowed()) {
				return Mono.error(refusal(tenantGroup, first, null));
			}
			return take(modelGroup).flatMap(second -> {
				if (!second.allowed()) {
					return refund(tenantGroup).then(Mono.error(refusal(modelGroup, second, status(tenantGroup, first))));
				}
				RateLimitStatus status = status(concat(tenantGroup, modelGroup), List.of(first, second));
				List<Charge> all = concat(tenantGroup, modelGroup);
				return enterAll(leases, leaseId, 0).flatMap(refusedLease -> {
					if (refusedLease.isPresent()) {
						Lease refused = refusedLease.get();
						return refund(all).then(Mono.error(new RateLimitExceededException(
								"Rate limit reached: " + refused.what + " allows " + refused.limit
										+ " concurrent requests; retry when one finishes",
								Duration.ofSeconds(1), status)));
					}
					List<BucketSpec> tokenBuckets = all.stream()
						.filter(charge -> charge.tokens)
						.map(charge -> charge.bucket)
						.toList();
					return Mono.just(new Admission(tokens, tokenBuckets, leases.stream().map(l -> l.key).toList(),
							leaseId, status));
				});
			});
		});
	}

	/**
	 * Ends an admitted request: its token buckets are moved by {@code actualTokens - reserved} (a refund when it
	 * used less) and its leases are released.
	 */
	public Mono<Void> finish(Admission admission, long actualTokens) {
		if (admission == Admission.NONE) {
			return Mono.empty();
		}
		long delta = actualTokens - admission.reservedTokens();
		Mono<Void> settle = delta == 0 ? Mono.empty()
				: Flux.fromIterable(admission.tokenBuckets()).concatMap(bucket -> this.store.adjust(bucket, delta)).then();
		Mono<Void> release = Flux.fromIterable(admission.leases())
			.concatMap(key -> this.store.leave(key, admission.leaseId()))
			.then();
		// Settling must never fail the request that is ending: a store failure is logged by the store and dropped.
		return settle.then(release).onErrorResume(ex -> Mono.empty());
	}

	/**
	 * Admits one attempt against its deployment's own limits (so Fulcrum never exceeds what the provider allows);
	 * {@code null} result means the deployment is at its limit and the caller should fall back.
	 */
	public Mono<Admission> admitAttempt(String deploymentId, long estimatedTokens) {
		Limits limits = this.book.deployment(deploymentId);
		if (!limits.any()) {
			return Mono.just(Admission.NONE);
		}
		List<Charge> group = new ArrayList<>();
		charges(group, "fulcrum:rl:{d:" + deploymentId + "}", "deployment '" + deploymentId + "'", limits,
				estimatedTokens);
		List<Lease> leases = new ArrayList<>();
		lease(leases, "fulcrum:rc:{d:" + deploymentId + "}", "deployment '" + deploymentId + "'", limits);
		String leaseId = UUID.randomUUID().toString();
		return take(group).flatMap(taken -> {
			if (!taken.allowed()) {
				return Mono.error(refusal(group, taken, null));
			}
			return enterAll(leases, leaseId, 0).flatMap(refused -> refused.isPresent()
					? refund(group).then(Mono.error(new RateLimitExceededException("Rate limit reached: "
							+ refused.get().what + " allows " + refused.get().limit + " concurrent requests",
							Duration.ofSeconds(1), null)))
					: Mono.just(new Admission(estimatedTokens,
							group.stream().filter(c -> c.tokens).map(c -> c.bucket).toList(),
							leases.stream().map(l -> l.key).toList(), leaseId, null)));
		});
	}

	private Mono<QuotaStore.TakeResult> take(List<Charge> group) {
		if (group.isEmpty()) {
			return Mono.just(new QuotaStore.TakeResult(-1, new double[0]));
		}
		return this.store.take(group.stream().map(charge -> charge.bucket).toList());
	}

	private Mono<Void> refund(List<Charge> group) {
		return Flux.fromIterable(group)
			.concatMap(charge -> this.store.adjust(charge.bucket, -charge.bucket.cost()))
			.then();
	}

	/** Enters leases in order; on the first refusal leaves the ones entered and answers the refused lease. */
	private Mono<Optional<Lease>> enterAll(List<Lease> leases, String leaseId, int from) {
		if (from >= leases.size()) {
			return Mono.just(Optional.empty());
		}
		Lease lease = leases.get(from);
		return this.store.enter(lease.key, lease.limit, leaseId, LEASE_MILLIS).flatMap(entered -> {
			if (!entered) {
				return Flux.fromIterable(leases.subList(0, from))
					.concatMap(done -> this.store.leave(done.key, leaseId))
					.then(Mono.just(Optional.of(lease)));
			}
			return enterAll(leases, leaseId, from + 1);
		});
	}

	private static RateLimitExceededException refusal(List<Charge> group, QuotaStore.TakeResult result,
			RateLimitStatus earlier) {
		Charge refused = group.get(result.refused());
		double level = result.levels()[result.refused()];
		long waitMillis = TokenBucket.millisUntil(level, refused.bucket.cost(), refused.bucket.capacity());
		String unit = refused.tokens ? "tokens" : "requests";
		RateLimitStatus status = earlier != null ? earlier : status(group, result);
		return new RateLimitExceededException(String.format(Locale.ROOT,
				"Rate limit reached for %s: %d %s per minute. Retry after %.1f s.", refused.what,
				refused.bucket.capacity(), unit, waitMillis / 1000.0), Duration.ofMillis(Math.max(1, waitMillis)),
				status);
	}

	/** The first request bucket and the first token bucket of the group: the most specific limits. */
	private static RateLimitStatus status(List<Charge> charges, QuotaStore.TakeResult result) {
		return status(charges, result.levels());
	}

	private static RateLimitStatus status(List<Charge> charges, double[] levels) {
		long limitRequests = 0;
		long remainingRequests = 0;
		long resetRequests = 0;
		long limitTokens = 0;
		long remainingTokens = 0;
		long resetTokens = 0;
		for (int i = 0; i < charges.size(); i++) {
			BucketSpec bucket = charges.get(i).bucket;
			long remaining = Math.max(0, (long) Math.floor(levels[i]));
			long reset = TokenBucket.millisUntil(levels[i], bucket.capacity(), bucket.capacity());
			if (!charges.get(i).tokens && limitRequests == 0) {
				limitRequests = bucket.capacity();
				remainingRequests = remaining;
				resetRequests = reset;
			}
			else if (charges.get(i).tokens && limitTokens == 0) {
				limitTokens = bucket.capacity();
				remainingTokens = remaining;
				resetTokens = reset;
			}
		}
		return new RateLimitStatus(limitRequests, remainingRequests, Duration.ofMillis(resetRequests), limitTokens,
				remainingTokens, Duration.ofMillis(resetTokens));
	}

	private static RateLimitStatus status(List<Charge> charges, List<QuotaStore.TakeResult> results) {
		double[] levels = new double[charges.size()];
		int i = 0;
		for (QuotaStore.TakeResult result : results) {
			for (double level : result.levels()) {
				levels[i++] = level;
			}
		}
		return status(charges, levels);
	}

	private static void charges(List<Charge> group, String prefix, String what, Limits limits, long tokens) {
		if (limits.requestsPerMinute() > 0) {
			group.add(new Charge(new BucketSpec(prefix + ":rpm", limits.requestsPerMinute(), 1), what, false));
		}
		if (limits.tokensPerMinute() > 0) {
			group.add(new Charge(new BucketSpec(prefix + ":tpm", limits.tokensPerMinute(), tokens), what, true));
		}
	}

	private static void lease(List<Lease> leases, String key, String what, Limits limits) {
		if (limits.concurrentRequests() > 0) {
			leases.add(new Lease(key, limits.concurrentRequests(), what));
		}
	}

	private static <T> List<T> concat(List<T> a, List<T> b) {
		List<T> all = new ArrayList<>(a.size() + b.size());
		all.addAll(a);
		all.addAll(b);
		return all;
	}

	/** A bucket to take from, what it limits (for messages), and whether it counts tokens. */
	private record Charge(BucketSpec bucket, String what, boolean tokens) {
	}

	/** A concurrency limit to enter. */
	private record Lease(String key, long limit, String what) {
	}

}
