package io.fulcrum.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Writes JSON answers. The body is serialized here, to bytes, so that the output does not depend on which codecs
 * the hosting server registered.
 */
final class JsonResponses {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonResponses() {
	}

	static Mono<ServerResponse> json(HttpStatus status, Object body) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(MAPPER.writeValueAsBytes(body));
	}

	/** {@code {"error": {"message", "type", "param", "code"}}}, as OpenAI answers. */
	static Mono<ServerResponse> error(ApiProblem problem) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", problem.getMessage());
		error.put("type", problem.type());
		error.put("param", problem.param());
		error.put("code", problem.code());
		if (!problem.problems().isEmpty()) {
			error.put("problems", problem.problems());
		}
		ServerResponse.BodyBuilder response = ServerResponse.status(problem.status())
			.contentType(MediaType.APPLICATION_JSON);
		if (problem.status() == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		return response.bodyValue(MAPPER.writeValueAsBytes(Map.of("error", error)));
	}

}
