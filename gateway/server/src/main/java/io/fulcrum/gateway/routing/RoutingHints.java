package io.fulcrum.gateway.routing;

import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Slo;
import org.jspecify.annotations.Nullable;

/**
 * What a request tells the router beyond its body: its SLO and priority class (from headers) and its
 * {@code max_tokens}.
 *
 * @param slo the request's own SLO, or {@code null} for its policy's default
 * @param priority interactive or batch
 * @param maxTokens the output cap the request set, or 0
 */
public record RoutingHints(@Nullable Slo slo, Priority priority, long maxTokens) {

	/** No SLO of its own, interactive, no output cap. */
	public static final RoutingHints NONE = new RoutingHints(null, Priority.INTERACTIVE, 0);

}
