package io.fulcrum.simulator;

import java.util.function.BiFunction;

import io.fulcrum.simulator.wire.AnthropicMessages;
import io.fulcrum.simulator.wire.ApiError;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.ErrorKind;
import io.fulcrum.simulator.wire.OpenAiChat;
import io.netty.handler.codec.http.HttpMethod;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Dispatches each request by exact path, cheaper than Reactor Netty's template routes, and answers unknown
 * paths with a 404 and unexpected failures with a 500, in JSON.
 */
final class Router implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private static final Logger logger = LoggerFactory.getLogger(Router.class);

	private final ChatEndpoint chatCompletions;

	private final ChatEndpoint messages;

	private final EmbeddingsEndpoint embeddings;

	private final ModelsEndpoint models;

	private final ControlEndpoint control;

	private final SimulatorControl controlState;

	Router(SimulatorControl control, ApiKeyCheck apiKeys) {
		this.controlState = control;
		this.chatCompletions = new ChatEndpoint(new OpenAiChat(), control, apiKeys);
		this.messages = new ChatEndpoint(new AnthropicMessages(), control, apiKeys);
		this.embeddings = new EmbeddingsEndpoint(control, apiKeys);
		this.models = new ModelsEndpoint(control, apiKeys);
		this.control = new ControlEndpoint(control);
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		Mono<Void> answer;
		try {
			answer = route(request, response);
		}
		catch (RuntimeException ex) {
			answer = Mono.error(ex);
		}
		return answer.onErrorResume((ex) -> failed(request, response, ex));
	}

	private Mono<Void> route(HttpServerRequest request, HttpServerResponse response) {
		String path = request.fullPath();
		HttpMethod method = request.method();
		return switch (path) {
			case "/v1/chat/completions" -> HttpMethod.POST.equals(method)
					? this.chatCompletions.handle(request, response)
					: error(response, ErrorFormat.OPENAI, ErrorKind.METHOD_NOT_ALLOWED);
			case "/v1/messages" -> HttpMethod.POST.equals(method) ? this.messages.handle(request, response)
					: error(response, ErrorFormat.ANTHROPIC, ErrorKind.METHOD_NOT_ALLOWED);
			case "/v1/embeddings" -> HttpMethod.POST.equals(method) ? this.embeddings.handle(request, response)
					: error(response, ErrorFormat.OPENAI, ErrorKind.METHOD_NOT_ALLOWED);
			case "/v1/models" -> HttpMethod.GET.equals(method) ? this.models.handle(request, response)
					: error(response, ErrorFormat.OPENAI, ErrorKind.METHOD_NOT_ALLOWED);
			case "/metrics" -> metrics(response);
			default -> path.startsWith("/sim/") ? this.control.handle(request, response, path)
					: notFound(request, response, path);
		};
	}

	/** vLLM's load gauges, as {@link SimulatorControl#reportLoad} scripted them. */
	private Mono<Void> metrics(HttpServerResponse response) {
		double[] load = this.controlState.reportedLoad();
		String body = "# TYPE vllm:num_requests_running gauge\n" + "vllm:num_requests_running{model_name=\"sim\"} "
				+ load[0] + "\n# TYPE vllm:num_requests_waiting gauge\n"
				+ "vllm:num_requests_waiting{model_name=\"sim\"} " + load[1]
				+ "\n# TYPE vllm:kv_cache_usage_perc gauge\n" + "vllm:kv_cache_usage_perc{model_name=\"sim\"} "
				+ load[2] + "\n";
		return response.header("content-type", "text/plain; version=0.0.4").sendString(Mono.just(body)).then();
	}

	private static Mono<Void> notFound(HttpServerRequest request, HttpServerResponse response, String path) {
		// Anthropic's clients send anthropic-version: answer them in the shape they parse.
		ErrorFormat format = request.requestHeaders().contains("anthropic-version") ? ErrorFormat.ANTHROPIC
				: ErrorFormat.OPENAI;
		return Responses.error(response, format,
				ApiError.of(ErrorKind.NOT_FOUND, "Unknown path " + path + " (provider simulator)."));
	}

	private static Mono<Void> error(HttpServerResponse response, ErrorFormat format, ErrorKind kind) {
		return Responses.error(response, format, ApiError.of(kind));
	}

	private static Mono<Void> failed(HttpServerRequest request, HttpServerResponse response, Throwable ex) {
		if (response.hasSentHeaders()) {
			// Mid-answer, typically the client hung up: nothing left to tell it.
			logger.debug("Answer to {} {} failed", request.method(), request.uri(), ex);
			return Mono.empty();
		}
		logger.warn("Failed to answer {} {}", request.method(), request.uri(), ex);
		return Responses.error(response, ErrorFormat.OPENAI,
				ApiError.of(ErrorKind.SERVER_ERROR, "The provider simulator failed: " + ex));
	}

}
