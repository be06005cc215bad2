package io.fulcrum.gateway.ingress;

import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request, including refused ones, a fresh id: echoed in {@code x-request-id} and used as the ledger's
 * idempotency key. A client-sent id is not reused for that, since a repeated one would merge two requests' usage.
 */
public final class RequestIdWebFilter implements WebFilter, Ordered {

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = newId();
		exchange.getAttributes().put(GatewayExchangeAttributes.REQUEST_ID_ATTR, id);
		exchange.getResponse().getHeaders().set(GatewayExchangeAttributes.REQUEST_ID_HEADER, id);
		return chain.filter(exchange);
	}

	/** {@code req_} and 24 base-36 characters: 124 random bits, unique without coordination. */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		char[] id = new char[28];
		id[0] = 'r';
		id[1] = 'e';
		id[2] = 'q';
		id[3] = '_';
		for (int i = 4; i < id.length; i++) {
			id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
		}
		return new String(id);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
