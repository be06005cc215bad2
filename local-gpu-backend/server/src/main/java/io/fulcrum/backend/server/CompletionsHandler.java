package io.fulcrum.backend.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.fulcrum.backend.generation.FinishReason;
import io.fulcrum.backend.generation.GenerationHandle;
import io.fulcrum.backend.generation.GenerationUsage;
import io.fulcrum.backend.generation.SamplingParams;
import io.fulcrum.backend.generation.TextGenerator;
import io.fulcrum.backend.generation.TextListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: turns a checked request into a generation on
 * the {@link TextGenerator}'s engine and its output into OpenAI's answer, whole or as server-sent events.
 * <p>
 * The request is submitted before any header is sent, so a refusal (queue full, context too long) is a proper
 * error status. The engine thread only hands text pieces over; JSON is rendered on Reactor's parallel scheduler.
 * A client that goes away cancels its generation, which frees its cache blocks at the next step.
 */
final class CompletionsHandler {

	/** What the engine hands over: a piece of text, or the end (with its reason or error). */
	private record Piece(String text, @Nullable FinishReason reason, @Nullable GenerationUsage usage,
			@Nullable RuntimeException error) {
	}

	private final JsonMapper json;

	private final TextGenerator generator;

	CompletionsHandler(JsonMapper json, TextGenerator generator) {
		this.json = json;
		this.generator = generator;
	}

	Mono<Void> handle(byte[] body, boolean chat, HttpServerResponse response) {
		CompletionRequest request = CompletionRequest.parse(this.json, body, chat);
		if (!request.model().equals(this.generator.id())) {
			throw ApiError.modelNotFound(request.model(), this.generator.id());
		}
		int[] prompt = prompt(request, chat);
		int room = this.generator.contextLength() - prompt.length;
		// Defaults as OpenAI's: a chat answer may fill the context window, a text completion stops at 16 tokens.
		int maxTokens = request.maxTokens() != null ? request.maxTokens()
				: chat ? Math.max(1, room) : Math.min(16, Math.max(1, room));
		SamplingParams sampling = new SamplingParams(request.temperature(), request.topP(), request.topK(),
				request.seed(), maxTokens, request.ignoreEos());
		CompletionResponse render = new CompletionResponse(this.json, chat,
				(chat ? "chatcmpl-" : "cmpl-") + completionId(),
				System.currentTimeMillis() / 1000, this.generator.id());
		return request.stream() ? stream(prompt, sampling, request, render, response)
				: whole(prompt, sampling, request, render, response);
	}

	/**
	 * A random 128-bit id in hex. Not {@code UUID.randomUUID()}: its SecureRandom may block, and this runs on a
	 * non-blocking thread; ids need to be unique, not unpredictable.
	 */
	private static String completionId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return String.format("%016x%016x", random.nextLong(), random.nextLong());
	}

	private int[] prompt(CompletionRequest request, boolean chat) {
		if (chat) {
			return this.generator.chatTokens(request.messages());
		}
		int[] tokens = request.promptTokens();
		if (tokens != null) {
			for (int i = 0; i < tokens.length; i++) {
				if (tokens[i] < 0 || tokens[i] >= this.generator.vocabSize()) {
					throw ApiError.invalid("prompt", "invalid_value", "'prompt[" + i + "]' is token " + tokens[i]
							+ ", outside this model's vocabulary of " + this.generator.vocabSize() + " tokens.");
				}
			}
			return tokens;
		}
		return this.generator.promptTokens(request.prompt());
	}

	private Mono<Void> whole(int[] prompt, SamplingParams sampling, CompletionRequest request, CompletionResponse render,
			HttpServerResponse response) {
		record Result(String text, FinishReason reason, GenerationUsage usage) {
		}
		CompletableFuture<Result> answer = new CompletableFuture<>();
		StringBuilder text = new StringBuilder();
		GenerationHandle handle = this.generator.generate(prompt, sampling, request.stop(), new TextListener() {
			@Override
			public void text(String delta) {
				text.append(delta);
			}

			@Override
			public void finished(FinishReason reason, GenerationUsage usage) {
				answer.complete(new Result(text.toString(), reason, usage));
			}

			@Override
			public void failed(RuntimeException error, GenerationUsage usage) {
				answer.completeExceptionally(error);
			}
		});
		return Mono.fromFuture(answer, true)
			.doOnCancel(handle::cancel)
			// The future completes on the engine thread: render the JSON elsewhere.
			.publishOn(Schedulers.parallel())
			.map(result -> render.whole(result.text(), result.reason().wireName(), result.usage()))
			.flatMap(bytes -> response.status(HttpResponseStatus.OK)
				.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
				.sendByteArray(Mono.just(bytes))
				.then());
	}

	private Mono<Void> stream(int[] prompt, SamplingParams sampling, CompletionRequest request,
			CompletionResponse render, HttpServerResponse response) {
		Sinks.Many<Piece> pieces = Sinks.many().unicast().onBackpressureBuffer();
		GenerationHandle handle = this.generator.generate(prompt, sampling, request.stop(), new TextListener() {
			@Override
			public void text(String delta) {
				pieces.tryEmitNext(new Piece(delta, null, null, null));
			}

			@Override
			public void finished(FinishReason reason, GenerationUsage usage) {
				pieces.tryEmitNext(new Piece("", reason, usage, null));
				pieces.tryEmitComplete();
			}

			@Override
			public void failed(RuntimeException error, GenerationUsage usage) {
				pieces.tryEmitNext(new Piece("", null, usage, error));
				pieces.tryEmitComplete();
			}
		});
		Flux<String> events = pieces.asFlux().publishOn(Schedulers.parallel()).concatMapIterable(piece -> {
			if (piece.error() != null) {
				return List.of(render.errorEvent("The server failed while generating; it has been logged.",
						"server_error", "internal_error"), CompletionResponse.done());
			}
			if (piece.reason() == null) {
				return List.of(render.textChunk(piece.text(), null));
			}
			List<String> last = new ArrayList<>(3);
			last.add(render.textChunk("", piece.reason().wireName()));
			if (request.includeUsage()) {
				last.add(render.usageChunk(piece.usage()));
			}
			last.add(CompletionResponse.done());
			return last;
		});
		if (render.chat()) {
			events = Flux.concat(Mono.fromCallable(render::roleChunk), events);
		}
		Flux<ByteBuf> bytes = events.doOnCancel(handle::cancel)
			.map(event -> ByteBufAllocator.DEFAULT.buffer().writeBytes(event.getBytes(StandardCharsets.UTF_8)));
		return response.status(HttpResponseStatus.OK)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.send(bytes, buffer -> true)
			.then();
	}

}
