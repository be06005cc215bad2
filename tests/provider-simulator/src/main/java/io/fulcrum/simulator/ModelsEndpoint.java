package io.fulcrum.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.simulator.wire.ApiError;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.ErrorKind;
import io.fulcrum.simulator.wire.ModelList;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * OpenAI's {@code GET /v1/models}: the models with a profile of their own, plus
 * {@value SimulatorControl#DEFAULT_MODEL}. Names no model, so the default profile's faults apply.
 */
final class ModelsEndpoint {

	private final SimulatorControl control;

	private final ApiKeyCheck apiKeys;

	ModelsEndpoint(SimulatorControl control, ApiKeyCheck apiKeys) {
		this.control = control;
		this.apiKeys = apiKeys;
	}

	Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		if (!this.apiKeys.accepts(request.requestHeaders())) {
			return Responses.error(response, ErrorFormat.OPENAI, ApiError.of(ErrorKind.UNAUTHENTICATED));
		}
		ModelProfile profile = this.control.defaultProfile();
		Instant outageUntil = this.control.outageUntil(SimulatorControl.DEFAULT_MODEL, profile);
		Fault fault = Fault.pick(profile, outageUntil);
		if (fault != Fault.NONE) {
			return Responses.fault(response, ErrorFormat.OPENAI, fault, outageUntil);
		}
		List<String> models = new ArrayList<>(this.control.profiles().keySet());
		if (!models.contains(SimulatorControl.DEFAULT_MODEL)) {
			models.add(SimulatorControl.DEFAULT_MODEL);
		}
		return Responses.json(response, HttpResponseStatus.OK, ModelList.render(models));
	}

}
