package io.fulcrum.simulator;

import java.time.Instant;

import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.wire.ApiError;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.ErrorKind;
import io.fulcrum.simulator.wire.InvalidRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The steps every model endpoint shares before it answers: the API key check, reading and validating the JSON
 * body, recording the request, and the injected faults of the model's profile.
 *
 * @param <R> the endpoint's validated request
 */
abstract class ModelEndpoint<R> {

	private static final byte[] NO_BODY = new byte[0];

	private final SimulatorControl control;

	private final ApiKeyCheck apiKeys;

	ModelEndpoint(SimulatorControl control, ApiKeyCheck apiKeys) {
		this.control = control;
		this.apiKeys = apiKeys;
	}

	/** The provider's error shape. */
	abstract ErrorFormat errors();

	/** Validates the body, throwing {@link InvalidRequestException}. */
	abstract R parse(JsonNode body);

	abstract String model(R request);

	/** Answers a request that passed every check and drew no fault. */
	abstract Mono<Void> answer(R request, ModelProfile profile, HttpServerResponse response);

	final Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		if (!this.apiKeys.accepts(request.requestHeaders())) {
			return Responses.error(response, errors(), ApiError.of(ErrorKind.UNAUTHENTICATED));
		}
		return request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(NO_BODY)
			.flatMap((bytes) -> admit(request, response, bytes));
	}

	private Mono<Void> admit(HttpServerRequest request, HttpServerResponse response, byte[] bytes) {
		JsonNode body;
		R parsed;
		try {
			body = Json.parse(bytes);
			parsed = parse(body);
		}
		catch (InvalidRequestException ex) {
			return Responses.error(response, errors(), ex.toApiError());
		}
		catch (JacksonException ex) {
			return Responses.error(response, errors(), ApiError.of(ErrorKind.INVALID_REQUEST,
					"We could not parse the JSON body of your request."));
		}
		String model = model(parsed);
		this.control.recordRequest(model, body, request.requestHeaders());
		ModelProfile profile = this.control.profile(model);
		Instant outageUntil = this.control.outageUntil(model, profile);
		Fault fault = Fault.pick(profile, outageUntil);
		if (fault != Fault.NONE) {
			return Responses.fault(response, errors(), fault, outageUntil);
		}
		return answer(parsed, profile, response);
	}

	SimulatorControl control() {
		return this.control;
	}

}
