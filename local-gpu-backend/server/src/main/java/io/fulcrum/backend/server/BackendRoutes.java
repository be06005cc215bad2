package io.fulcrum.backend.server;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import io.fulcrum.backend.batching.EngineClosedException;
import io.fulcrum.backend.batching.QueueFullException;
import io.fulcrum.backend.batching.SubmissionTooLargeException;
import io.fulcrum.backend.embedding.EmbeddingModel;
import io.fulcrum.backend.embedding.InputTooLongException;
import io.fulcrum.backend.embedding.TokenizedInput;
import io.fulcrum.backend.generation.PromptTooLongException;
import io.fulcrum.backend.generation.TextGenerator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server's HTTP routes. Nothing here blocks an event loop: request bodies are parsed and tokenised on
 * Reactor's parallel scheduler, the forward pass runs on the engine thread, and the answer is rendered on the
 * parallel scheduler again, never on the engine thread (it would stall the next batch).
 */
final class BackendRoutes implements java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private static final Logger log = LoggerFactory.getLogger(BackendRoutes.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EmbeddingModel model;

	private final BackendMetrics metrics;

	private final BackendOptions options;

	private final @Nullable TextGenerator generator;

	private final @Nullable CompletionsHandler completions;

	private final long created = System.currentTimeMillis() / 1000;

	BackendRoutes(EmbeddingModel model, @Nullable TextGenerator generator, BackendMetrics metrics,
			BackendOptions options) {
		this.model = model;
		this.generator = generator;
		this.completions = generator == null ? null : new CompletionsHandler(JSON, generator);
		this.metrics = metrics;
		this.options = options;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		String path = request.fullPath();
		HttpMethod method = request.method();
		Mono<Void> answer = switch (path) {
			case "/v1/embeddings" -> method.equals(HttpMethod.POST) ? authorized(request, () -> embeddings(request, response))
					: Mono.error(ApiError.methodNotAllowed(method.name(), path));
			case "/v1/chat/completions", "/v1/completions" -> method.equals(HttpMethod.POST)
					? authorized(request, () -> completions(request, response, path.equals("/v1/chat/completions")))
					: Mono.error(ApiError.methodNotAllowed(method.name(), path));
			case "/v1/models" -> method.equals(HttpMethod.GET) ? authorized(request, () -> models(response))
					: Mono.error(ApiError.methodNotAllowed(method.name(), path));
			case "/health" -> json(response, HttpResponseStatus.OK, health());
			case "/metrics" -> response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
				.sendString(Mono.fromCallable(this.metrics::scrape).subscribeOn(Schedulers.parallel()))
				.then();
			default -> Mono.error(ApiError.notFound(path));
		};
		return answer.onErrorResume(ex -> error(response, ex));
	}

	private Mono<Void> authorized(HttpServerRequest request, java.util.function.Supplier<Mono<Void>> then) {
		String key = this.options.apiKey();
		if (key != null) {
			String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
			if (header == null || !header.equals("Bearer " + key)) {
				return Mono.error(ApiError.unauthorized());
			}
		}
		return then.get();
	}

	private Mono<Void> embeddings(HttpServerRequest request, HttpServerResponse response) {
		long start = System.nanoTime();
		return body(request).publishOn(Schedulers.parallel()).flatMap(bytes -> {
			EmbeddingsRequest parsed = EmbeddingsRequest.parse(JSON, bytes, this.model.dimensions());
			if (!parsed.model().equals(this.model.id())) {
				throw ApiError.modelNotFound(parsed.model(), this.model.id());
			}
			List<TokenizedInput> inputs = new ArrayList<>(parsed.inputs().size());
			int tokens = 0;
			int truncated = 0;
			for (int i = 0; i < parsed.inputs().size(); i++) {
				TokenizedInput input = this.model.tokenize(i, parsed.inputs().get(i));
				inputs.add(input);
				tokens += input.textTokens();
				truncated += input.truncated() ? 1 : 0;
			}
			int promptTokens = tokens;
			int truncatedInputs = truncated;
			return Mono.fromFuture(() -> this.model.embed(inputs))
				.publishOn(Schedulers.parallel())
				.flatMap(embeddings -> {
					byte[] body = EmbeddingsResponse.render(JSON, this.model.id(), embeddings, parsed.base64(),
							promptTokens);
					if (truncatedInputs > 0) {
						response.header("x-fulcrum-truncated-inputs", Integer.toString(truncatedInputs));
					}
					return send(response, HttpResponseStatus.OK, body);
				});
		}).doFinally(signal -> this.metrics.requestDone(System.nanoTime() - start));
	}

	private Mono<Void> completions(HttpServerRequest request, HttpServerResponse response, boolean chat) {
		CompletionsHandler handler = this.completions;
		if (handler == null) {
			return Mono.error(ApiError.noGenerativeModel(this.model.id()));
		}
		return body(request).publishOn(Schedulers.parallel()).flatMap(bytes -> handler.handle(bytes, chat, response));
	}

	private Mono<Void> models(HttpServerResponse response) {
		ObjectNode root = JSON.createObjectNode();
		root.put("object", "list");
		ArrayNode data = root.putArray("data");
		model(data, this.model.id());
		if (this.generator != null) {
			model(data, this.generator.id()).put("max_model_len", this.generator.contextLength());
		}
		return json(response, HttpResponseStatus.OK, root);
	}

	private ObjectNode model(ArrayNode data, String id) {
		ObjectNode m = data.addObject();
		m.put("id", id);
		m.put("object", "model");
		m.put("created", this.created);
		m.put("owned_by", "fulcrum-local");
		return m;
	}

	private ObjectNode health() {
		ObjectNode root = JSON.createObjectNode();
		root.put("status", "ok");
		root.put("model", this.model.id());
		root.put("device", this.model.device());
		root.put("dimensions", this.model.dimensions());
		root.put("window", this.model.window());
		root.put("running", this.model.running());
		root.put("waiting", this.model.waiting());
		TextGenerator g = this.generator;
		if (g != null) {
			ObjectNode generation = root.putObject("generation");
			generation.put("model", g.id());
			generation.put("device", g.engine().device());
			generation.put("context_length", g.contextLength());
			generation.put("chat_template", g.template().name().toLowerCase(java.util.Locale.ROOT));
			generation.put("running", g.engine().running());
			generation.put("waiting", g.engine().waiting());
		}
		return root;
	}

	private Mono<byte[]> body(HttpServerRequest request) {
		int limit = this.options.maxBodyBytes();
		String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		if (declared != null && Long.parseLong(declared.trim()) > limit) {
			return Mono.error(ApiError.tooLarge(limit));
		}
		return request.receive().asByteArray().collect(ByteArrayOutputStream::new, (out, chunk) -> {
			if (out.size() + chunk.length > limit) {
				throw ApiError.tooLarge(limit);
			}
			out.writeBytes(chunk);
		}).map(ByteArrayOutputStream::toByteArray);
	}

	private Mono<Void> error(HttpServerResponse response, Throwable failure) {
		Throwable ex = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
				: failure;
		ApiError error;
		if (ex instanceof ApiError api) {
			error = api;
		}
		else if (ex instanceof InputTooLongException tooLong) {
			error = ApiError.invalid("input", "context_length_exceeded", tooLong.getMessage());
		}
		else if (ex instanceof PromptTooLongException tooLong) {
			error = ApiError.invalid("messages", "context_length_exceeded", tooLong.getMessage());
		}
		else if (ex instanceof QueueFullException full) {
			error = ApiError.overloaded(full.getMessage(), full.retryAfterMillis());
		}
		else if (ex instanceof SubmissionTooLargeException) {
			error = ApiError.invalid("input", "too_many_inputs", ex.getMessage());
		}
		else if (ex instanceof EngineClosedException) {
			error = ApiError.unavailable("The server is shutting down.");
		}
		else {
			log.error("Request failed", ex);
			error = ApiError.internal();
		}
		if (response.hasSentHeaders()) {
			return Mono.empty();
		}
		if (error.retryAfterSeconds() > 0) {
			response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
		}
		return send(response, error.status(), ErrorBody.render(JSON, error));
	}

	private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, ObjectNode body) {
		return send(response, status, JSON.writeValueAsBytes(body));
	}

	private static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, byte[] body) {
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
			.sendByteArray(Mono.just(body))
			.then();
	}

}
