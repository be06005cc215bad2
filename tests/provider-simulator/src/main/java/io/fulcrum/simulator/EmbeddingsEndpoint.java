package io.fulcrum.simulator;

import io.fulcrum.simulator.wire.Embeddings;
import io.fulcrum.simulator.wire.EmbeddingsRequest;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's {@code POST /v1/embeddings}: deterministic vectors after the profile's time to first token.
 */
final class EmbeddingsEndpoint extends ModelEndpoint<EmbeddingsRequest> {

	EmbeddingsEndpoint(SimulatorControl control, ApiKeyCheck apiKeys) {
		super(control, apiKeys);
	}

	@Override
	ErrorFormat errors() {
		return ErrorFormat.OPENAI;
	}

	@Override
	EmbeddingsRequest parse(JsonNode body) {
		return EmbeddingsRequest.parse(body);
	}

	@Override
	String model(EmbeddingsRequest request) {
		return request.model();
	}

	@Override
	Mono<Void> answer(EmbeddingsRequest request, ModelProfile profile, HttpServerResponse response) {
		byte[] body = Embeddings.render(request);
		return Channels.timer(response)
			.delay(Latency.ttftNanos(profile))
			.then(Mono.defer(() -> Responses.json(response, HttpResponseStatus.OK, body)));
	}

}
