package io.fulcrum.gateway.auth;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.ApiKey;
import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Resolves a presented secret to a {@link Caller}. Lookups go by the secret's SHA-256 hash (the only form stored),
 * and both hits and misses are cached for a short time so that a flood of bad keys cannot reach the database.
 * {@link #invalidateAll()} drops the cache when an admin changes keys on this replica.
 */
public final class ApiKeyAuthenticator {

	private static final Scheduler LOOKUPS = Schedulers.boundedElastic();

	private final AsyncLoadingCache<String, Optional<ApiKey>> keys;

	public ApiKeyAuthenticator(AccountStore accounts, Duration ttl) {
		this.keys = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(ttl)
			// Loads run off the event loop, since an embedded store's driver blocks, and off the common fork-join
			// pool too: on a two-core machine it has one thread, shared with Caffeine's own upkeep, so one slow
			// lookup would hold up every other. Reactor's bounded elastic pool is made for blocking calls.
			.executor(LOOKUPS::schedule)
			.buildAsync((hash, executor) -> accounts.findKeyByHash(hash)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.subscribeOn(LOOKUPS)
				.toFuture());
	}

	/**
	 * @param secret the presented key, or {@code null} when the request carried none
	 * @return the caller, or a 401 error
	 */
	public Mono<Caller> authenticate(@Nullable String secret) {
		if (secret == null || secret.isBlank()) {
			return Mono.error(new GatewayException(ErrorKind.UNAUTHENTICATED,
					"Missing API key. Send it as 'Authorization: Bearer fk-…' (or 'x-api-key' for Anthropic clients).",
					null, "missing_api_key", null));
		}
		if (!ApiKeys.looksLikeKey(secret)) {
			return Mono.error(invalidKey());
		}
		return Mono.fromFuture(this.keys.get(ApiKeys.hash(secret))).flatMap(found -> {
			if (found.isEmpty() || !found.get().active()) {
				return Mono.error(invalidKey());
			}
			return Mono.just(new Caller(found.get()));
		});
	}

	public void invalidateAll() {
		this.keys.synchronous().invalidateAll();
	}

	private static GatewayException invalidKey() {
		return new GatewayException(ErrorKind.UNAUTHENTICATED, "Invalid or revoked API key.", null,
				"invalid_api_key", null);
	}

}
