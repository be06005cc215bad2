package io.fulcrum.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.fulcrum.gateway.ratelimit.QuotaStore.LeaseSpec;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Admits requests against their app key's, tenant's and model alias's limits, and attempts against their
 * deployment's. Requests per minute and tokens per minute are token buckets; a request reserves its estimated
 * tokens (prompt plus expected or maximum output) and settles to the actual count when it ends, so a stream that
 * ran past its reservation takes the excess from the next window. Concurrent requests are leases that expire by
 * themselves if a gateway dies holding them.
 *
 * <p>Key and tenant limits share the tenant's hash tag and are taken in one atomic step (one Redis round trip); the
 * alias's (another Redis Cluster slot) in a second, and if that one refuses the first is given back.
 */
public final class RateLimiter {

	/** Share of a deployment's buckets batch work may not take: it is kept for interactive requests. */
	public static final double BATCH_RESERVE = 0.2;

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
		Group first = new Group();
		first.add("fulcrum:rl:" + tenantTag + ":key:" + keyId, "this API key", key, tokens);
		first.add("fulcrum:rl:" + tenantTag + ":tenant", "this tenant", tenant, tokens);
		Group second = new Group();
		second.add("fulcrum:rl:" + modelTag, "model '" + alias + "'", model, tokens);
		RateLimitExceededException tooLarge = first.tooLarge(tokens);
		if (tooLarge == null) {
			tooLarge = second.tooLarge(tokens);
		}
		if (tooLarge != null) {
			return Mono.error(tooLarge);
		}
		String leaseId = newLeaseId();
		return take(first, leaseId).flatMap(taken -> {
			if (!taken.allowed()) {
				return Mono.error(first.refusal(taken, null));
			}
			return take(second, leaseId).flatMap(alsoTaken -> {
				RateLimitStatus status = status(Group.concat(first, second), concat(taken, alsoTaken));
				if (!alsoTaken.allowed()) {
					return giveBack(first, leaseId).then(Mono.error(second.refusal(alsoTaken, status)));
				}
				return Mono.just(new Admission(tokens, List.of(first.held(), second.held()), leaseId, status));
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
		return Flux.fromIterable(admission.groups()).concatMap(held -> {
			long[] deltas = new long[held.tokenBuckets().size()];
			Arrays.fill(deltas, delta);
			List<BucketSpec> buckets = delta == 0 ? List.of() : held.tokenBuckets();
			return this.store.settle(buckets, delta == 0 ? new long[0] : deltas, held.leases(), admission.leaseId());
		})
			.then()
			// Settling must never fail the request that is ending: the store logs and meters its own failures.
			.onErrorResume(ex -> Mono.empty());
	}

	/**
	 * Admits one attempt against its deployment's own limits (so Fulcrum never exceeds what the provider allows);
	 * fails with {@link RateLimitExceededException} when the deployment is at its limit. Batch work leaves the last
	 * {@link #BATCH_RESERVE} of each bucket to interactive work: near the limit, interactive requests go first.
	 */
	public Mono<Admission> admitAttempt(String deploymentId, LongSupplier estimatedTokens, boolean batch) {
		Limits limits = this.book.deployment(deploymentId);
		if (!limits.any()) {
			return Mono.just(Admission.NONE);
		}
		// Counting tokens costs time on the request path: only a token limit needs them.
		long tokens = limits.tokensPerMinute() > 0 ? estimatedTokens.getAsLong() : 0;
		Group group = new Group();
		group.add("fulcrum:rl:{d:" + deploymentId + "}", "deployment '" + deploymentId + "'", limits, tokens,
				batch ? BATCH_RESERVE : 0);
		String leaseId = newLeaseId();
		return take(group, leaseId).flatMap(taken -> taken.allowed()
				? Mono.just(new Admission(tokens, List.of(group.held()), leaseId, null))
				: Mono.error(group.refusal(taken, null)));
	}

	private Mono<QuotaStore.TakeResult> take(Group group, String leaseId) {
		if (group.isEmpty()) {
			return Mono.just(new QuotaStore.TakeResult(-1, new double[0]));
		}
		return this.store.take(group.buckets(), group.leases(), leaseId, LEASE_MILLIS);
	}

	/** Undoes a group's take: its costs go back and its leases are left. */
	private Mono<Void> giveBack(Group group, String leaseId) {
		if (group.isEmpty()) {
			return Mono.empty();
		}
		long[] refunds = group.charges.stream().mapToLong(charge -> -charge.bucket.cost()).toArray();
		return this.store.settle(group.buckets(), refunds, group.leases(), leaseId).onErrorResume(ex -> Mono.empty());
	}

	/** The first request bucket and the first token bucket: the most specific limits. */
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

	private static double[] concat(QuotaStore.TakeResult a, QuotaStore.TakeResult b) {
		double[] all = Arrays.copyOf(a.levels(), a.levels().length + b.levels().length);
		System.arraycopy(b.levels(), 0, all, a.levels().length, b.levels().length);
		return all;
	}

	/** The buckets and leases taken in one atomic step, with what each limits (for messages). */
	private static final class Group {

		final List<Charge> charges = new ArrayList<>();

		final List<Lease> leases = new ArrayList<>();

		void add(String prefix, String what, Limits limits, long tokens) {
			add(prefix, what, limits, tokens, 0);
		}

		/** {@code reserve}: the share of each bucket that must stay untouched by this request. */
		void add(String prefix, String what, Limits limits, long tokens, double reserve) {
			if (limits.requestsPerMinute() > 0) {
				long capacity = limits.requestsPerMinute();
				this.charges.add(new Charge(new BucketSpec(prefix + ":rpm", capacity, 1, (long) (capacity * reserve)),
						what, false));
			}
			if (limits.tokensPerMinute() > 0) {
				long capacity = limits.tokensPerMinute();
				this.charges.add(new Charge(
						new BucketSpec(prefix + ":tpm", capacity, tokens, (long) (capacity * reserve)), what, true));
			}
			if (limits.concurrentRequests() > 0) {
				this.leases.add(new Lease(new LeaseSpec(prefix + ":inflight", limits.concurrentRequests()), what));
			}
		}

		boolean isEmpty() {
			return this.charges.isEmpty() && this.leases.isEmpty();
		}

		List<BucketSpec> buckets() {
			return this.charges.stream().map(charge -> charge.bucket).toList();
		}

		List<LeaseSpec> leases() {
			return this.leases.stream().map(lease -> lease.spec).toList();
		}

		Admission.Held held() {
			return new Admission.Held(
					this.charges.stream().filter(charge -> charge.tokens).map(charge -> charge.bucket).toList(),
					leases());
		}

		/** A request that could never fit a token limit, refused at once. */
		@Nullable RateLimitExceededException tooLarge(long tokens) {
			for (Charge charge : this.charges) {
				if (charge.tokens && tokens > charge.bucket.capacity()) {
					return new RateLimitExceededException("This request needs about " + tokens + " tokens, more than "
							+ charge.what + " may use in a minute (" + charge.bucket.capacity()
							+ "); lower max_tokens or split the request", Duration.ofSeconds(60), null);
				}
			}
			return null;
		}

		RateLimitExceededException refusal(QuotaStore.TakeResult result, @Nullable RateLimitStatus known) {
			RateLimitStatus status = known != null ? known : status(this.charges, result.levels());
			if (result.refused() >= this.charges.size()) {
				Lease lease = this.leases.get(result.refused() - this.charges.size());
				return new RateLimitExceededException("Rate limit reached for " + lease.what + ": "
						+ lease.spec.limit() + " concurrent requests. Retry when one finishes.", Duration.ofSeconds(1),
						status);
			}
			Charge refused = this.charges.get(result.refused());
			double level = result.levels()[result.refused()];
			long waitMillis = TokenBucket.millisUntil(level, refused.bucket.cost() + refused.bucket.reserve(),
					refused.bucket.capacity());
			return new RateLimitExceededException(String.format(Locale.ROOT,
					"Rate limit reached for %s: %d %s per minute. Retry after %.1f s.", refused.what,
					refused.bucket.capacity(), refused.tokens ? "tokens" : "requests", waitMillis / 1000.0),
					Duration.ofMillis(Math.max(1, waitMillis)), status);
		}

		static List<Charge> concat(Group a, Group b) {
			List<Charge> all = new ArrayList<>(a.charges);
			all.addAll(b.charges);
			return all;
		}

	}

	/** A bucket to take from, what it limits, and whether it counts tokens. */
	private record Charge(BucketSpec bucket, String what, boolean tokens) {
	}

	/** A concurrency limit to enter, and what it limits. */
	private record Lease(LeaseSpec spec, String what) {
	}

	/**
	 * 128 random bits in hex. Not {@code UUID.randomUUID()}: its SecureRandom can block the event loop this runs on,
	 * and a lease id needs to be unique, not unpredictable.
	 */
	private static String newLeaseId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong()) + '-' + Long.toHexString(random.nextLong());
	}

}
