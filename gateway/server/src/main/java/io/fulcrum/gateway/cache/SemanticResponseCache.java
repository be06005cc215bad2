package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * Exact first, then by meaning: a lookup asks the exact store and, on a miss of a chat request, embeds its last user
 * message ({@link SemanticQuery}) and searches the {@link SemanticIndex} partition of the same tenant, alias and
 * request context for the nearest entry at or above the alias's threshold ({@code aliasThresholds}, else
 * {@code threshold}; cosine). A semantic hit carries its similarity ({@link CachedResponse#similarity()}). A store
 * writes the exact entry and adds the vector (the one the lookup computed, kept briefly by exact key, else embedded
 * again) to the index. Embeddings requests and chat requests without a user text message are exact only. An
 * embedding that fails or is late ({@link Embedder}) is a miss.
 */
public final class SemanticResponseCache implements ResponseCache {

	private final ResponseCache exact;

	private final SemanticIndex index;

	private final Embedder embedder;

	private final double threshold;

	private final Map<String, Double> aliasThresholds;

	/** Vectors computed by lookups that missed, for the store that follows the miss. */
	private final Cache<CacheKey, float[]> pendingVectors = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(5))
		.maximumSize(10_000)
		.executor(Runnable::run)
		.build();

	public SemanticResponseCache(ResponseCache exact, SemanticIndex index, Embedder embedder, double threshold,
			Map<String, Double> aliasThresholds) {
		this.exact = exact;
		this.index = index;
		this.embedder = embedder;
		this.threshold = threshold;
		this.aliasThresholds = Map.copyOf(aliasThresholds);
	}

	/** The cosine similarity a semantic hit on {@code alias} needs. */
	public double threshold(String alias) {
		return this.aliasThresholds.getOrDefault(alias, this.threshold);
	}

	@Override
	public Mono<CachedResponse> lookup(CacheRequest request) {
		return this.exact.lookup(request).switchIfEmpty(Mono.defer(() -> lookupByMeaning(request)));
	}

	private Mono<CachedResponse> lookupByMeaning(CacheRequest request) {
		SemanticQuery query = SemanticQuery.of(request);
		if (query == null) {
			return Mono.empty();
		}
		return this.embedder.embed(query.text()).mapNotNull(vector -> {
			this.pendingVectors.put(request.key(), vector);
			VectorPartition.Match match = this.index.nearest(query.partition(), vector, threshold(request.alias()));
			return match != null ? match.response().withSimilarity(match.similarity()) : null;
		});
	}

	@Override
	public Mono<Void> store(CacheRequest request, CachedResponse response) {
		return this.exact.store(request, response).then(Mono.defer(() -> {
			SemanticQuery query = SemanticQuery.of(request);
			if (query == null) {
				return Mono.empty();
			}
			float[] known = this.pendingVectors.getIfPresent(request.key());
			this.pendingVectors.invalidate(request.key());
			Mono<float[]> vector = known != null ? Mono.just(known) : this.embedder.embed(query.text());
			return vector.doOnNext(v -> this.index.add(query.partition(), v, response)).then();
		}));
	}

	@Override
	public Mono<Long> purgeTenant(String tenantId) {
		return this.exact.purgeTenant(tenantId)
			.onErrorResume(ex -> Mono.just(0L))
			.map(removed -> removed + this.index.purgeTenant(tenantId));
	}

	/** The index, for metrics and tests. */
	public SemanticIndex index() {
		return this.index;
	}

}
