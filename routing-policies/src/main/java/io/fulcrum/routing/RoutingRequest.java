package io.fulcrum.routing;

/**
 * What the router knows about a request when it decides.
 *
 * @param tenantId the calling tenant
 * @param keyId the calling app key
 * @param modelAlias the model alias the request named
 * @param stream whether the client asked for a stream
 */
public record RoutingRequest(String tenantId, String keyId, String modelAlias, boolean stream) {

}
