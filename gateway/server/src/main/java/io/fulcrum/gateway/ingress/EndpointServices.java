package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;

/**
 * What every inference endpoint uses: the body reader, model access checks, the request factory, the dispatcher and
 * the response cache.
 */
public record EndpointServices(JsonBodyReader bodies, ModelAccess models, InferenceRequests requests,
		InferenceDispatcher dispatcher, ResponseCaching caching) {

}
