package io.fulcrum.gateway.routing;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.Slo;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;

/**
 * Reads a request's routing hints: {@code x-fulcrum-priority: interactive|batch}, {@code x-fulcrum-slo:
 * ttft=800ms,e2e=10s,p=0.99} (fields it leaves out come from the policy's SLO for the priority class) and the body's
 * {@code max_tokens} / {@code max_completion_tokens}. A malformed header is the client's error: 400.
 */
public final class RoutingHeaders {

	/** The request's latency objective. */
	public static final String SLO_HEADER = "x-fulcrum-slo";

	/** The request's priority class. */
	public static final String PRIORITY_HEADER = "x-fulcrum-priority";

	private final Router router;

	public RoutingHeaders(Router router) {
		this.router = router;
	}

	public RoutingHints read(HttpHeaders headers, JsonNode body, String alias, String tenantId, String keyId) {
		Priority priority = priority(headers.getFirst(PRIORITY_HEADER));
		String sloHeader = headers.getFirst(SLO_HEADER);
		Slo slo = null;
		if (sloHeader != null) {
			try {
				slo = Slo.parse(sloHeader, this.router.slo(alias, tenantId, keyId, priority));
			}
			catch (IllegalArgumentException ex) {
				throw new GatewayException(ErrorKind.INVALID_REQUEST,
						"Invalid " + SLO_HEADER + " header: " + ex.getMessage(), SLO_HEADER, "invalid_slo", null);
			}
		}
		long maxTokens = Math.max(body.path("max_tokens").asLong(0), body.path("max_completion_tokens").asLong(0));
		if (slo == null && priority == Priority.INTERACTIVE && maxTokens == 0) {
			return RoutingHints.NONE;
		}
		return new RoutingHints(slo, priority, Math.max(0, maxTokens));
	}

	private static Priority priority(@Nullable String header) {
		if (header == null) {
			return Priority.INTERACTIVE;
		}
		try {
			return Priority.parse(header);
		}
		catch (IllegalArgumentException ex) {
			throw new GatewayException(ErrorKind.INVALID_REQUEST,
					"Invalid " + PRIORITY_HEADER + " header: " + ex.getMessage(), PRIORITY_HEADER, "invalid_priority",
					null);
		}
	}

}
