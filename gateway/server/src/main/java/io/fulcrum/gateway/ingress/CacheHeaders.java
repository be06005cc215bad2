package io.fulcrum.gateway.ingress;

import java.util.Locale;

import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CachePolicy;
import io.fulcrum.gateway.cache.CacheTicket;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.dispatch.InferenceRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/** The cache's HTTP side: reads {@code x-fulcrum-cache} and {@code Cache-Control}, answers {@code x-fulcrum-cache}. */
final class CacheHeaders {

	private CacheHeaders() {
	}

	static CacheTicket open(ResponseCaching caching, ServerWebExchange exchange, InferenceRequest request,
			CacheEndpoint endpoint) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		return caching.open(request, endpoint, headers.getFirst(CachePolicy.HEADER),
				headers.getFirst(HttpHeaders.CACHE_CONTROL));
	}

	/** Sets {@code x-fulcrum-cache: hit|miss|bypass} on the response. */
	static void write(ServerWebExchange exchange, String outcome) {
		exchange.getResponse().getHeaders().set(CachePolicy.HEADER, outcome);
	}

	/**
	 * Sets {@code x-fulcrum-cache: hit}, {@code x-fulcrum-cache-kind: exact|semantic} and, for a semantic hit,
	 * {@code x-fulcrum-cache-similarity} (cosine, three decimals).
	 */
	static void writeHit(ServerWebExchange exchange, CachedResponse hit) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set(CachePolicy.HEADER, "hit");
		Double similarity = hit.similarity();
		headers.set(CachePolicy.KIND_HEADER, similarity != null ? "semantic" : "exact");
		if (similarity != null) {
			headers.set(CachePolicy.SIMILARITY_HEADER, String.format(Locale.ROOT, "%.3f", similarity));
		}
	}

}
