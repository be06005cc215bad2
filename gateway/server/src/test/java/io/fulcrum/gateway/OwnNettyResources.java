package io.fulcrum.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Event loops of a gateway's own, for tests that start and close extra gateways in a JVM that other test classes
 * share: closing a context that uses Reactor Netty's global resources disposes them for every gateway in the JVM,
 * and a shared test context opened before (its server and its provider clients) stops working. Pass it as a source
 * of the extra gateways; it is deliberately not a {@code @Configuration}, so component scanning does not apply it to
 * every test context.
 */
class OwnNettyResources {

	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		return factory;
	}

}
