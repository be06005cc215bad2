package io.fulcrum.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.routing.BackendLoadPoller;
import io.fulcrum.gateway.routing.PolicyFileWatcher;
import io.fulcrum.gateway.routing.PolicySource;
import io.fulcrum.gateway.routing.RoutingCatalog;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.telemetry.TelemetrySettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the routing engine: the router with the configured policies, what feeds it (circuit-breaker transitions,
 * local backends' load) and what changes its policies at run time (the policy file).
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	@Bean
	Router router(FulcrumProperties properties, DeploymentCatalog catalog, CircuitBreakerRegistry breakers) {
		FulcrumProperties.Routing routing = properties.routing();
		TelemetrySettings telemetry = new TelemetrySettings(routing.halfLife().toNanos(),
				TelemetrySettings.DEFAULTS.priorWeight(), TelemetrySettings.DEFAULTS.refreshNanos());
		Router router = new Router(telemetry, () -> ThreadLocalRandom.current().nextDouble());
		try {
			router.configure(RoutingCatalog.of(catalog), PolicySource.load(routing));
		}
		catch (PolicyException ex) {
			throw new InvalidConfigurationException(ex.problems());
		}
		for (Deployment deployment : catalog.deployments()) {
			CircuitBreaker breaker = breakers.circuitBreaker(deployment.id());
			breaker.getEventPublisher()
				.onStateTransition(event -> router.stats(deployment.id())
					.circuitOpen(isOpen(event.getStateTransition().getToState())));
		}
		return router;
	}

	@Bean(destroyMethod = "close")
	RoutingFeeds routingFeeds(FulcrumProperties properties, DeploymentCatalog catalog, Router router) {
		Path file = properties.routing().policyFile();
		PolicyFileWatcher watcher = file == null ? null : new PolicyFileWatcher(file, router, Duration.ofSeconds(2));
		return new RoutingFeeds(watcher,
				new BackendLoadPoller(catalog, router, properties.routing().backendPollInterval()));
	}

	private static boolean isOpen(CircuitBreaker.State state) {
		return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
	}

	/** The background tasks that keep the router current, stopped with the application. */
	record RoutingFeeds(@Nullable PolicyFileWatcher policyFile, BackendLoadPoller backendLoad) implements AutoCloseable {

		@Override
		public void close() {
			if (this.policyFile != null) {
				this.policyFile.close();
			}
			this.backendLoad.close();
		}

	}

}
