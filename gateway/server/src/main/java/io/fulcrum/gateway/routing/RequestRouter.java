package io.fulcrum.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.dispatch.PlannedRoute;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.RoutingDecision;
import io.fulcrum.routing.RoutingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the router where a request goes and turns the answer into deployments to try, in order. The decision's
 * explanation is kept on the request for the {@code x-fulcrum-route} header, and logged at DEBUG
 * ({@code logging.level.io.fulcrum.gateway.routing=debug}).
 */
public final class RequestRouter {

	private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

	/** How long a client whose batch request was shed should wait before retrying. */
	static final Duration SHED_RETRY_AFTER = Duration.ofSeconds(5);

	private final Router router;

	private final DeploymentCatalog catalog;

	public RequestRouter(Router router, DeploymentCatalog catalog) {
		this.router = router;
		this.catalog = catalog;
	}

	/**
	 * @throws GatewayException 503 when the alias has no route, or when batch work is shed because no deployment
	 * can meet its SLO now (with {@code Retry-After})
	 */
	public PlannedRoute route(InferenceRequest request) {
		String alias = request.alias().name();
		RoutingHints hints = request.hints();
		// Counting prompt tokens costs time; only a scoring policy uses them.
		long promptTokens = this.router.scores(alias, request.tenantId(), request.keyId()) ? request.promptTokens() : 0;
		RoutingDecision decision = this.router.route(new RoutingRequest(request.tenantId(), request.keyId(), alias,
				request.stream(), promptTokens, hints.maxTokens(), 0, hints.slo(), hints.priority(),
				request.budgetUsed(), System.nanoTime()));
		String explanation = decision.explain();
		RoutingDecision.Hedge hedge = decision instanceof RoutingDecision.Route planned ? planned.hedge() : null;
		// With a hedge, the route is predicted to meet the SLO as the hedge makes it; the error budget counts that.
		request.route(explanation, hedge != null ? hedge.probability()
				: decision.scores().isEmpty() ? 1 : decision.scores().get(0).probability());
		if (log.isDebugEnabled()) {
			log.debug("request {} ({}, alias {}): {}; {}", request.requestId(), hints.priority().label(), alias,
					decision.reason(), explanation);
		}
		if (decision instanceof RoutingDecision.Reject reject) {
			if (reject.shed()) {
				throw new GatewayException(ErrorKind.UNAVAILABLE, reject.reason(), null, "request_shed",
						SHED_RETRY_AFTER);
			}
			throw new GatewayException(ErrorKind.UNAVAILABLE, reject.reason(), null, "no_route", null);
		}
		List<String> ids = ((RoutingDecision.Route) decision).deploymentIds();
		List<Deployment> order = new ArrayList<>(ids.size());
		for (String id : ids) {
			order.add(deployment(id));
		}
		return new PlannedRoute(order, hedge == null ? null
				: new PlannedRoute.Hedge(deployment(hedge.deploymentId()), Duration.ofNanos(hedge.delayNanos())));
	}

	private Deployment deployment(String id) {
		Deployment deployment = this.catalog.deployment(id);
		if (deployment == null) {
			throw new IllegalStateException("the router chose unknown deployment " + id);
		}
		return deployment;
	}

}
