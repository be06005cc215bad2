package io.fulcrum.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.wire.ApiError;
import io.fulcrum.simulator.wire.ErrorFormat;
import io.fulcrum.simulator.wire.ErrorKind;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link SimulatorControl} over HTTP, under {@code /sim}, for demos and benchmarks:
 * <ul>
 * <li>{@code GET /sim/stats}: counters, profiles and outages as JSON;</li>
 * <li>{@code PUT /sim/models/{model}}: changes the fields of the model's profile present in the JSON body,
 * starting from its current profile; answers with the result;</li>
 * <li>{@code GET /sim/models/{model}}: the model's current profile;</li>
 * <li>{@code PUT /sim/default}: the same for the default profile;</li>
 * <li>{@code POST /sim/models/{model}/outage?seconds=N}: HTTP 503 for the model for N seconds;</li>
 * <li>{@code POST /sim/reset}: {@link SimulatorControl#reset()}.</li>
 * </ul>
 * Not subject to the API key: it is the simulator's own interface, not a provider's.
 */
final class ControlEndpoint {

	private static final String MODELS = "/sim/models/";

	private static final String OUTAGE = "/outage";

	private final SimulatorControl control;

	ControlEndpoint(SimulatorControl control) {
		this.control = control;
	}

	Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, String path) {
		HttpMethod method = request.method();
		if (path.equals("/sim/stats")) {
			return HttpMethod.GET.equals(method) ? ok(response, stats()) : methodNotAllowed(response);
		}
		if (path.equals("/sim/reset")) {
			if (!HttpMethod.POST.equals(method)) {
				return methodNotAllowed(response);
			}
			this.control.reset();
			return ok(response, Json.object().put("reset", true));
		}
		if (path.equals("/sim/default")) {
			if (!HttpMethod.PUT.equals(method)) {
				return methodNotAllowed(response);
			}
			return withBody(request, response, (body) -> {
				ModelProfile profile = ProfileJson.apply(this.control.defaultProfile(), body);
				this.control.setDefaultProfile(profile);
				return ProfileJson.render(profile);
			});
		}
		if (path.startsWith(MODELS) && path.length() > MODELS.length()) {
			return model(request, response, path.substring(MODELS.length()));
		}
		return error(response, ApiError.of(ErrorKind.NOT_FOUND, "Unknown control path " + path + "."));
	}

	private Mono<Void> model(HttpServerRequest request, HttpServerResponse response, String rest) {
		HttpMethod method = request.method();
		if (HttpMethod.POST.equals(method) && rest.endsWith(OUTAGE) && rest.length() > OUTAGE.length()) {
			return outage(request, response, decode(rest.substring(0, rest.length() - OUTAGE.length())));
		}
		String model = decode(rest);
		if (HttpMethod.GET.equals(method)) {
			return ok(response, ProfileJson.render(this.control.profile(model)));
		}
		if (!HttpMethod.PUT.equals(method)) {
			return methodNotAllowed(response);
		}
		return withBody(request, response, (body) -> {
			ModelProfile profile = ProfileJson.apply(this.control.profile(model), body);
			this.control.setProfile(model, profile);
			return ProfileJson.render(profile);
		});
	}

	private Mono<Void> outage(HttpServerRequest request, HttpServerResponse response, String model) {
		List<String> values = new QueryStringDecoder(request.uri()).parameters().get("seconds");
		double seconds;
		try {
			seconds = Double.parseDouble((values != null && !values.isEmpty()) ? values.get(0) : "");
		}
		catch (NumberFormatException ex) {
			seconds = -1;
		}
		if (!(seconds > 0) || Double.isInfinite(seconds)) {
			return error(response, new ApiError(ErrorKind.INVALID_REQUEST,
					"The query parameter 'seconds' must be a positive number.", "seconds"));
		}
		Instant until = this.control.startOutage(model, Duration.ofMillis((long) (seconds * 1000)));
		ObjectNode body = Json.object();
		body.put("model", model);
		body.put("outageUntil", until.toString());
		return ok(response, body);
	}

	private ObjectNode stats() {
		ObjectNode stats = Json.object();
		stats.put("totalRequests", this.control.totalRequests());
		ObjectNode requests = stats.putObject("requests");
		this.control.requestCounts().forEach(requests::put);
		stats.put("completedStreams", this.control.completedStreams());
		stats.put("cancelledStreams", this.control.cancelledStreams());
		stats.put("abortedStreams", this.control.abortedStreams());
		stats.put("cancelledAnswers", this.control.cancelledAnswers());
		stats.set("defaultProfile", ProfileJson.render(this.control.defaultProfile()));
		ObjectNode profiles = stats.putObject("profiles");
		for (Map.Entry<String, ModelProfile> entry : this.control.profiles().entrySet()) {
			profiles.set(entry.getKey(), ProfileJson.render(entry.getValue()));
		}
		ObjectNode outages = stats.putObject("outages");
		this.control.outages().forEach((model, until) -> outages.put(model, until.toString()));
		return stats;
	}

	private Mono<Void> withBody(HttpServerRequest request, HttpServerResponse response,
			Function<JsonNode, ObjectNode> action) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((bytes) -> {
			ObjectNode result;
			try {
				result = action.apply(Json.parse(bytes));
			}
			catch (JacksonException ex) {
				return error(response, ApiError.of(ErrorKind.INVALID_REQUEST, "The body is not valid JSON."));
			}
			catch (IllegalArgumentException ex) {
				return error(response,
						ApiError.of(ErrorKind.INVALID_REQUEST, Objects.toString(ex.getMessage(), "Invalid profile.")));
			}
			return ok(response, result);
		});
	}

	private static String decode(String pathSegment) {
		// A '+' in a path is a plus, not the space it is in a query string.
		return QueryStringDecoder.decodeComponent(pathSegment.replace("+", "%2B"));
	}

	private static Mono<Void> ok(HttpServerResponse response, JsonNode body) {
		return Responses.json(response, HttpResponseStatus.OK, Json.bytes(body));
	}

	private static Mono<Void> methodNotAllowed(HttpServerResponse response) {
		return error(response, ApiError.of(ErrorKind.METHOD_NOT_ALLOWED));
	}

	private static Mono<Void> error(HttpServerResponse response, ApiError error) {
		return Responses.error(response, ErrorFormat.OPENAI, error);
	}

}
