package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.dispatch.InferenceDispatcher;

/**
 * What every inference endpoint uses: the body reader, model access checks, the request factory and the dispatcher.
 */
public record EndpointServices(JsonBodyReader bodies, ModelAccess models, InferenceRequests requests,
		InferenceDispatcher dispatcher) {

}
