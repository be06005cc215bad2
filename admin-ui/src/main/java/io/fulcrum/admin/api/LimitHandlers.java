package io.fulcrum.admin.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /admin/api/limits}: read and replace the rate limits. The body is the whole set, e.g.
 * {@code {"keys": {"default": {"requests_per_minute": 600}}, "models": {"chat": {"tokens_per_minute": 100000}}}};
 * a document with any problem is refused whole, every problem listed.
 */
final class LimitHandlers {

	private static final List<String> FIELDS = List.of("requests_per_minute", "tokens_per_minute",
			"concurrent_requests");

	private final RateLimitAdmin limits;

	LimitHandlers(RateLimitAdmin limits) {
		this.limits = limits;
	}

	Mono<ServerResponse> show(ServerRequest request) {
		return JsonResponses.json(HttpStatus.OK, view(this.limits.limits()));
	}

	Mono<ServerResponse> replace(ServerRequest request) {
		return RequestBodies.object(request).flatMap((body) -> {
			Map<String, Map<String, RateLimitAdmin.Limit>> parsed = parse(body);
			this.limits.replace(parsed);
			return JsonResponses.json(HttpStatus.OK, view(parsed));
		});
	}

	private static Map<String, Map<String, RateLimitAdmin.Limit>> parse(JsonNode body) {
		List<String> problems = new ArrayList<>();
		Map<String, Map<String, RateLimitAdmin.Limit>> out = new LinkedHashMap<>();
		for (String scope : body.propertyNames()) {
			if (!RateLimitAdmin.SCOPES.contains(scope)) {
				problems.add(scope + ": unknown scope (use " + String.join(", ", RateLimitAdmin.SCOPES) + ")");
				continue;
			}
			JsonNode entries = body.get(scope);
			if (!entries.isObject()) {
				problems.add(scope + ": expected an object of ids to limits");
				continue;
			}
			Map<String, RateLimitAdmin.Limit> scoped = new LinkedHashMap<>();
			for (String id : entries.propertyNames()) {
				JsonNode limit = entries.get(id);
				String at = scope + "." + id;
				if (!limit.isObject()) {
					problems.add(at + ": expected an object with " + String.join(", ", FIELDS));
					continue;
				}
				for (String field : limit.propertyNames()) {
					if (!FIELDS.contains(field)) {
						problems.add(at + "." + field + ": unknown field (use " + String.join(", ", FIELDS) + ")");
					}
				}
				scoped.put(id, new RateLimitAdmin.Limit(count(limit, "requests_per_minute", at, problems),
						count(limit, "tokens_per_minute", at, problems),
						count(limit, "concurrent_requests", at, problems)));
			}
			out.put(scope, scoped);
		}
		if (!problems.isEmpty()) {
			throw ApiProblem.invalidDocument("The rate limits are invalid: " + String.join("; ", problems),
					"invalid_limits", problems);
		}
		return out;
	}

	private static long count(JsonNode limit, String field, String at, List<String> problems) {
		JsonNode value = limit.get(field);
		if (value == null || value.isNull()) {
			return 0;
		}
		if (!value.isIntegralNumber() || value.asLong() < 0) {
			problems.add(at + "." + field + ": must be a whole number, 0 or more (0 = unlimited)");
			return 0;
		}
		return value.asLong();
	}

	private static Map<String, Object> view(Map<String, Map<String, RateLimitAdmin.Limit>> limits) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (String scope : RateLimitAdmin.SCOPES) {
			Map<String, Object> scoped = new LinkedHashMap<>();
			limits.getOrDefault(scope, Map.of()).forEach((id, limit) -> {
				Map<String, Object> fields = new LinkedHashMap<>();
				fields.put("requests_per_minute", limit.requestsPerMinute());
				fields.put("tokens_per_minute", limit.tokensPerMinute());
				fields.put("concurrent_requests", limit.concurrentRequests());
				scoped.put(id, fields);
			});
			out.put(scope, scoped);
		}
		return out;
	}

}
