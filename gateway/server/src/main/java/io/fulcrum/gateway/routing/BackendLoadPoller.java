package io.fulcrum.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ProviderEndpoint;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.telemetry.BackendLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Polls the metrics of every provider that reports its load (local GPU backends) and hands the router each
 * report, for every deployment on that provider. A backend that stops answering simply stops being reported; the
 * router ignores reports older than {@link BackendLoad#STALE_AFTER_NANOS}.
 */
public final class BackendLoadPoller implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(BackendLoadPoller.class);

	private final HttpClient http = HttpClient.create().responseTimeout(Duration.ofSeconds(2));

	private final List<Disposable> polls = new ArrayList<>();

	public BackendLoadPoller(DeploymentCatalog catalog, Router router, Duration interval) {
		for (ProviderEndpoint provider : catalog.providers()) {
			String url = provider.metricsUrl();
			if (url == null) {
				continue;
			}
			List<String> deployments = catalog.deployments()
				.stream()
				.filter(d -> d.provider().id().equals(provider.id()))
				.map(Deployment::id)
				.toList();
			this.polls.add(Flux.interval(Duration.ZERO, interval)
				.onBackpressureDrop()
				.concatMap(tick -> poll(url), 1)
				.subscribe(report -> {
					BackendLoad load = new BackendLoad(report.running(), report.waiting(), report.kvCacheUsage(),
							System.nanoTime());
					deployments.forEach(id -> router.stats(id).backendLoad(load));
				}));
		}
	}

	private Mono<BackendLoadReport> poll(String url) {
		return this.http.get()
			.uri(url)
			.responseSingle((response, body) -> response.status().code() == 200 ? body.asString() : Mono.empty())
			.mapNotNull(BackendLoadReport::parse)
			.onErrorResume(ex -> {
				log.debug("Could not read backend load from {}: {}", url, ex.toString());
				return Mono.empty();
			});
	}

	@Override
	public void close() {
		this.polls.forEach(Disposable::dispose);
	}

}
