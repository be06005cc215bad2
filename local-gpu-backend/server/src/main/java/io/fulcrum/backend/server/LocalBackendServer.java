package io.fulcrum.backend.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.embedding.EmbeddingModel;
import io.fulcrum.backend.embedding.ModelSource;
import io.fulcrum.backend.encoder.EncoderSelection;
import io.fulcrum.backend.generation.GeneratorOptions;
import io.fulcrum.backend.generation.TextGenerator;
import io.fulcrum.backend.tokenizer.WordPieceTokenizer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Fulcrum's local inference server: an OpenAI-compatible HTTP API ({@code POST /v1/embeddings},
 * {@code GET /v1/models}) plus {@code /health} and Prometheus {@code /metrics}, in front of an
 * {@link EmbeddingModel} running on a GPU or the CPU. Runs standalone ({@link LocalBackendMain}) or inside the
 * gateway's embedded default.
 *
 * <pre>{@code
 * try (LocalBackendServer server = LocalBackendServer.start(BackendOptions.defaults().withPort(0))) {
 *     // POST server.baseUrl() + "/v1/embeddings" {"model":"all-minilm-l6-v2","input":"hello"}
 * }
 * }</pre>
 */
public final class LocalBackendServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LocalBackendServer.class);

	private final EmbeddingModel model;

	private final @Nullable TextGenerator generator;

	private final DisposableServer server;

	private final String baseUrl;

	private LocalBackendServer(EmbeddingModel model, @Nullable TextGenerator generator, DisposableServer server,
			String host) {
		this.model = model;
		this.generator = generator;
		this.server = server;
		this.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
	}

	/**
	 * Loads all-MiniLM-L6-v2, starts its engine on the chosen device, binds and returns once it accepts
	 * connections.
	 */
	public static LocalBackendServer start(BackendOptions options) {
		return start(options, BundledModel.ALL_MINILM_L6_V2);
	}

	/** Starts a server for another BERT-family encoder, from the class path or from files. */
	public static LocalBackendServer start(BackendOptions options, ModelSource source) {
		return start(options, source, null);
	}

	/**
	 * Starts a server for an embedding model and, when {@code generation} is given, a Llama-family generative model
	 * from a GGUF file ({@code POST /v1/chat/completions} and {@code POST /v1/completions}).
	 */
	public static LocalBackendServer start(BackendOptions options, ModelSource source,
			@Nullable GeneratorOptions generation) {
		long begin = System.nanoTime();
		BertWeights weights;
		WordPieceTokenizer tokenizer;
		try (InputStream tokenizerJson = source.tokenizerJson()) {
			weights = source.weights();
			tokenizer = WordPieceTokenizer.fromJson(tokenizerJson);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not load model " + source.id() + ": " + ex.getMessage(), ex);
		}
		int window = Math.min(options.window(), weights.config().maxPositions());
		BackendMetrics metrics = new BackendMetrics();
		EmbeddingModel model = new EmbeddingModel(source.id(), tokenizer, window, options.windowPolicy(),
				EncoderSelection.forDevice(options.device(), weights, options.cpuThreads()), options.batch(), metrics);
		metrics.bind(model);
		TextGenerator generator = null;
		DisposableServer server;
		try {
			if (generation != null) {
				generator = TextGenerator.open(generation, new GenerationMetrics(metrics.registry(), generation.id()));
				log.info("Serving text generation with {} on {} ({} context, chat template {})", generation.id(),
						generator.engine().device(), generator.contextLength(), generator.template());
			}
			server = HttpServer.create()
				.host(options.host())
				.port(options.port())
				.handle(new BackendRoutes(model, generator, metrics, options))
				.bindNow();
		}
		catch (IOException | RuntimeException ex) {
			model.close();
			if (generator != null) {
				generator.close();
			}
			if (ex instanceof IOException io) {
				throw new UncheckedIOException("could not load " + generation.gguf() + ": " + io.getMessage(), io);
			}
			throw (RuntimeException) ex;
		}
		LocalBackendServer started = new LocalBackendServer(model, generator, server, options.host());
		log.info("Local backend serving {} ({} dimensions, window {} tokens, {}) on {} on {}, started in {} ms",
				source.id(), model.dimensions(), window, options.windowPolicy().name().toLowerCase(),
				model.device(), started.baseUrl, (System.nanoTime() - begin) / 1_000_000);
		return started;
	}

	/** The URL to reach the server, such as {@code http://127.0.0.1:8090}, without a trailing slash. */
	public String baseUrl() {
		return this.baseUrl;
	}

	public int port() {
		return this.server.port();
	}

	/** The served model. */
	public EmbeddingModel model() {
		return this.model;
	}

	/** The served generative model, or null. */
	public @Nullable TextGenerator generator() {
		return this.generator;
	}

	/** Stops accepting connections, then stops the engines (queued work fails, the running step finishes). */
	@Override
	public void close() {
		this.server.disposeNow();
		this.model.close();
		if (this.generator != null) {
			this.generator.close();
		}
	}

}
