package io.fulcrum.simulator;

import io.fulcrum.simulator.wire.ChatDialect;
import io.fulcrum.simulator.wire.ChatRequest;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.StopReason;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;

/**
 * A chat endpoint, OpenAI's or Anthropic's by its dialect: answers with the profile's output length after its
 * time to first token and decode time, whole or as a stream.
 */
final class ChatEndpoint extends ModelEndpoint<ChatRequest> {

	private final ChatDialect dialect;

	ChatEndpoint(ChatDialect dialect, SimulatorControl control, ApiKeyCheck apiKeys) {
		super(control, apiKeys);
		this.dialect = dialect;
	}

	@Override
	ErrorFormat errors() {
		return this.dialect.errors();
	}

	@Override
	ChatRequest parse(JsonNode body) {
		return this.dialect.parse(body);
	}

	@Override
	String model(ChatRequest request) {
		return request.model();
	}

	@Override
	Mono<Void> answer(ChatRequest request, ModelProfile profile, HttpServerResponse response) {
		int outputTokens = profile.outputTokens(request.maxTokens());
		StopReason stopReason = profile.cappedBy(request.maxTokens()) ? StopReason.MAX_TOKENS : StopReason.END_TURN;
		if (request.stream()) {
			return new StreamingAnswer(control(), response).send(this.dialect.stream(request, !profile.omitUsage()),
					profile, request.promptTokens(), outputTokens, stopReason);
		}
		byte[] body = this.dialect.completion(request, SimulatedText.text(outputTokens), outputTokens, stopReason,
				!profile.omitUsage());
		// A whole answer arrives when a stream would have sent its last token.
		long latency = Latency.ttftNanos(profile) + (outputTokens - 1) * Latency.tokenIntervalNanos(profile);
		return Channels.timer(response)
			.delay(latency)
			.then(Mono.defer(() -> Responses.json(response, HttpResponseStatus.OK, body)))
			.doOnSuccess((sent) -> control().answered(request.promptTokens(), outputTokens))
			.doOnCancel(() -> control().answerCancelled());
	}

}
