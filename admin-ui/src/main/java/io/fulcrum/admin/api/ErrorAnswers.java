package io.fulcrum.admin.api;

import java.lang.System.Logger.Level;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Turns every failure into an OpenAI-style JSON error. Anything unforeseen is logged here and answered as a bare
 * 500, so that no stack trace or internal message reaches the client.
 */
final class ErrorAnswers implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private static final System.Logger logger = System.getLogger(ErrorAnswers.class.getName());

	@Override
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		// defer: a handler that throws instead of returning an error signal is caught too.
		return Mono.defer(() -> next.handle(request)).onErrorResume((error) -> {
			if (error instanceof ApiProblem problem) {
				return JsonResponses.error(problem);
			}
			logger.log(Level.ERROR, "admin API request failed: " + request.method() + " " + request.path(), error);
			return JsonResponses.error(ApiProblem.internal());
		});
	}

}
