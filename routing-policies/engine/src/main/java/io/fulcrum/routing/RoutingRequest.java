package io.fulcrum.routing;

import org.jspecify.annotations.Nullable;

/**
 * What the router knows about a request when it decides.
 *
 * @param tenantId the calling tenant
 * @param keyId the calling app key
 * @param modelAlias the model alias the request named
 * @param stream whether the client asked for a stream (latency-first ranking then uses time to first token)
 * @param promptTokens counted prompt tokens
 * @param maxTokens the request's {@code max_tokens}, or 0 when not set
 * @param expectedOutputTokens predicted output length; the {@link Router} fills it from what the key usually
 * generates, capped at {@code maxTokens}
 * @param slo the latency objective; {@code null} lets the {@link Router} take the policy's for the priority class
 * @param priority interactive or batch
 * @param budgetUsed share of the tenant's budget already spent (0 to 1), or NaN when it has none
 * @param nowNanos the router's monotonic clock ({@link System#nanoTime()} in the gateway, virtual time in the
 * simulator)
 */
public record RoutingRequest(String tenantId, String keyId, String modelAlias, boolean stream, long promptTokens,
		long maxTokens, double expectedOutputTokens, @Nullable Slo slo, Priority priority, double budgetUsed,
		long nowNanos) {

	/** A request about which only the caller and the alias are known (tests, the {@code ordered} policy). */
	public static RoutingRequest of(String tenantId, String keyId, String modelAlias, boolean stream) {
		return new RoutingRequest(tenantId, keyId, modelAlias, stream, 0, 0, 0, null, Priority.INTERACTIVE,
				Double.NaN, System.nanoTime());
	}

	/** This request with its output length predicted and its SLO resolved. */
	public RoutingRequest withExpectations(double expectedOutputTokens, Slo slo) {
		return new RoutingRequest(this.tenantId, this.keyId, this.modelAlias, this.stream, this.promptTokens,
				this.maxTokens, expectedOutputTokens, slo, this.priority, this.budgetUsed, this.nowNanos);
	}

	/** The SLO, or {@link Slo#NONE} when none was resolved. */
	public Slo sloOrNone() {
		return this.slo == null ? Slo.NONE : this.slo;
	}

}
