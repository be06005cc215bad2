package io.fulcrum.admin.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.routing.Router;
import io.fulcrum.routing.policy.AliasPolicy;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.policy.PolicyParser;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /admin/api/policies}: show the routing policies, check a new YAML document, and apply it. A document is
 * applied whole or not at all; the router keeps what it learned about every deployment across changes.
 */
final class PolicyHandlers {

	private static final int MAX_DOCUMENT_BYTES = 1 << 20;

	private final Router router;

	PolicyHandlers(Router router) {
		this.router = router;
	}

	Mono<ServerResponse> show(ServerRequest request) {
		return JsonResponses.json(HttpStatus.OK, view(this.router.policies()));
	}

	Mono<ServerResponse> validate(ServerRequest request) {
		return document(request).flatMap((document) -> {
			this.router.validate(document);
			return JsonResponses.json(HttpStatus.OK, Map.of("valid", true, "aliases", document.aliases().keySet()));
		}).onErrorMap(PolicyException.class, PolicyHandlers::invalid);
	}

	Mono<ServerResponse> apply(ServerRequest request) {
		return document(request).flatMap((document) -> {
			this.router.apply(document);
			return JsonResponses.json(HttpStatus.OK, view(document));
		}).onErrorMap(PolicyException.class, PolicyHandlers::invalid);
	}

	/** Every problem of a document (syntax, fields, or fit with the deployments) becomes one 400 listing them all. */
	private static ApiProblem invalid(PolicyException ex) {
		return ApiProblem.invalidDocument("The routing policy is invalid: " + String.join("; ", ex.problems()),
				"invalid_policy", ex.problems());
	}

	/** Reads and parses the YAML body. */
	private Mono<PolicyDocument> document(ServerRequest request) {
		return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), MAX_DOCUMENT_BYTES)
			.map((buffer) -> {
				try {
					return buffer.toString(StandardCharsets.UTF_8);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty("")
			.map(PolicyParser::parseYaml)
			.onErrorMap(DataBufferLimitException.class,
					(ex) -> ApiProblem.invalidRequest("A policy document is limited to 1 MiB", null));
	}

	private static Map<String, Object> view(PolicyDocument document) {
		Map<String, Object> aliases = new LinkedHashMap<>();
		document.aliases().forEach((alias, policy) -> aliases.put(alias, summary(policy)));
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("yaml", document.source());
		out.put("aliases", aliases);
		return out;
	}

	private static Map<String, Object> summary(AliasPolicy policy) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("candidates", policy.candidates());
		out.put("objective", policy.scoring().objective().label());
		out.put("when_none_qualify", policy.scoring().whenNoneQualify().label());
		out.put("exploration", policy.scoring().exploration());
		Map<String, String> slos = new LinkedHashMap<>();
		policy.slos().forEach((priority, slo) -> slos.put(priority.label(), slo.toString()));
		out.put("slo", slos);
		out.put("tenants", List.copyOf(policy.tenants().keySet()));
		return out;
	}

}
