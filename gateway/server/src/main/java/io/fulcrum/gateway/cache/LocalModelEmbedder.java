package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.List;

import io.fulcrum.backend.embedding.EmbeddingModel;
import io.fulcrum.backend.embedding.TokenizedInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Embeds with the in-process local backend's model (all-MiniLM-L6-v2): tokenised on the caller's thread (cheap, no
 * I/O), queued to the model's engine thread, awaited as a future (never blocking). An embedding that takes longer
 * than {@code timeout}, or a full queue, or any error is empty. The result is handed back on Reactor's parallel
 * scheduler so that the index search never runs on the engine thread.
 */
public final class LocalModelEmbedder implements Embedder {

	private static final Logger log = LoggerFactory.getLogger(LocalModelEmbedder.class);

	private final EmbeddingModel model;

	private final Duration timeout;

	public LocalModelEmbedder(EmbeddingModel model, Duration timeout) {
		this.model = model;
		this.timeout = timeout;
	}

	@Override
	public Mono<float[]> embed(String text) {
		return Mono.defer(() -> {
			TokenizedInput input = this.model.tokenize(0, text);
			return Mono.fromFuture(this.model.embed(List.of(input)));
		})
			.map(vectors -> vectors.get(0))
			.timeout(this.timeout)
			.publishOn(Schedulers.parallel())
			.onErrorResume(ex -> {
				log.debug("Semantic cache: no embedding, treated as a miss: {}", ex.toString());
				return Mono.empty();
			});
	}

}
