package io.fulcrum.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.admin.api.AdminApi;
import io.fulcrum.admin.api.BillingAdmin;
import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.r2dbc.R2dbcInvoiceStore;
import io.fulcrum.billing.r2dbc.R2dbcPricingStore;
import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.gateway.auth.ApiKeyAuthenticator;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.gateway.budget.BudgetGuard;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.catalog.ProviderKind;
import io.fulcrum.gateway.dispatch.FallbackExecutor;
import io.fulcrum.gateway.cache.ResponseCaching;
import io.fulcrum.gateway.dispatch.InferenceDispatcher;
import io.fulcrum.gateway.error.FulcrumErrorWebExceptionHandler;
import io.fulcrum.gateway.ingress.AnthropicMessagesEndpoint;
import io.fulcrum.gateway.ingress.ApiKeyAuthenticationFilter;
import io.fulcrum.gateway.ingress.ChatCompletionsEndpoint;
import io.fulcrum.gateway.ingress.EmbeddingsEndpoint;
import io.fulcrum.gateway.ingress.EndpointServices;
import io.fulcrum.gateway.ingress.InferenceEndpoint;
import io.fulcrum.gateway.ingress.InferenceRequests;
import io.fulcrum.gateway.ingress.JsonBodyReader;
import io.fulcrum.gateway.ingress.ModelAccess;
import io.fulcrum.gateway.ingress.ModelsEndpoint;
import io.fulcrum.gateway.ingress.ProviderDispatchFilter;
import io.fulcrum.gateway.ingress.UsageEndpoint;
import io.fulcrum.gateway.ingress.RequestIdWebFilter;
import io.fulcrum.gateway.metering.TokenCounter;
import io.fulcrum.gateway.metering.UsageMeter;
import io.fulcrum.gateway.metrics.GatewayMetrics;
import io.fulcrum.gateway.provider.ProviderClient;
import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.gateway.provider.UpstreamHttp;
import io.fulcrum.gateway.provider.anthropic.AnthropicClient;
import io.fulcrum.gateway.provider.openai.OpenAiCompatibleClient;
import io.fulcrum.gateway.ratelimit.LimitBookAdmin;
import io.fulcrum.gateway.ratelimit.LimitGuard;
import io.fulcrum.gateway.ratelimit.RateLimiter;
import io.fulcrum.gateway.routing.RequestRouter;
import io.fulcrum.gateway.routing.RouterFeedback;
import io.fulcrum.gateway.routing.RoutingHeaders;
import io.fulcrum.routing.Router;
import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.simulator.ProviderSimulator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wires the gateway: the plain-Java pieces (catalog, routing policy, dispatcher, meter) are built here and handed
 * to the Spring Cloud Gateway filters. Nothing on the request path looks anything up in the Spring context.
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

	@Bean
	DeploymentCatalog deploymentCatalog(FulcrumProperties properties, ObjectProvider<ProviderSimulator> simulator,
			ObjectProvider<LocalBackendServer> localBackend) {
		ProviderSimulator sim = simulator.getIfAvailable();
		LocalBackendServer local = localBackend.getIfAvailable();
		return new CatalogFactory(System::getenv, sim != null ? sim.baseUrl() : null,
				local != null ? local.baseUrl() : null).create(properties);
	}

	@Bean
	GatewayMetrics gatewayMetrics(MeterRegistry registry) {
		return new GatewayMetrics(registry);
	}

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry(MeterRegistry meters) {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(java.time.Duration.ofSeconds(15))
			.permittedNumberOfCallsInHalfOpenState(3)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			// Only the deployment's own faults count; a client's bad request says nothing about its health.
			.recordException(ex -> ex instanceof ProviderException provider
					&& provider.failure() == ProviderException.Failure.RETRYABLE)
			.build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		return registry;
	}

	@Bean(destroyMethod = "close")
	UpstreamHttp upstreamHttp(RouterFeedback routerFeedback) {
		return new UpstreamHttp(routerFeedback);
	}

	@Bean
	RouterFeedback routerFeedback(Router router) {
		return new RouterFeedback(router);
	}

	@Bean
	TokenCounter tokenCounter() {
		return new TokenCounter();
	}

	@Bean
	InferenceDispatcher inferenceDispatcher(DeploymentCatalog catalog, CircuitBreakerRegistry breakers,
			GatewayMetrics metrics, UpstreamHttp http, UsageLedger ledger, TokenCounter tokens, Router router,
			RouterFeedback routerFeedback, RateLimiter rateLimiter, BudgetGuard budgets, FulcrumProperties properties,
			LivePricing pricing) {
		OpenAiCompatibleClient openAi = new OpenAiCompatibleClient(http);
		Map<ProviderKind, ProviderClient> clients = Map.of(ProviderKind.OPENAI, openAi, ProviderKind.FULCRUM_LOCAL,
				openAi, ProviderKind.ANTHROPIC, new AnthropicClient(http));
		// Eagerly create every breaker so its state is exported before the first request.
		catalog.deployments().forEach(d -> breakers.circuitBreaker(d.id()));
		return new InferenceDispatcher(new RequestRouter(router, catalog), new LimitGuard(rateLimiter, router,
				properties.rateLimit().batchMaxWait()), budgets,
				new FallbackExecutor(breakers, metrics),
				clients, new UsageMeter(ledger, tokens, metrics, routerFeedback, pricing));
	}

	@Bean
	ApiKeyAuthenticator apiKeyAuthenticator(AccountStore accounts, FulcrumProperties properties) {
		return new ApiKeyAuthenticator(accounts, properties.server().keyCacheTtl());
	}

	@Bean
	ApiKeyAuthenticationFilter apiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator) {
		return new ApiKeyAuthenticationFilter(authenticator);
	}

	@Bean
	RequestIdWebFilter requestIdWebFilter() {
		return new RequestIdWebFilter();
	}

	@Bean
	FulcrumErrorWebExceptionHandler fulcrumErrorWebExceptionHandler(GatewayMetrics metrics) {
		return new FulcrumErrorWebExceptionHandler(metrics);
	}

	@Bean
	ProviderDispatchFilter providerDispatchFilter(FulcrumProperties properties, DeploymentCatalog catalog,
			InferenceDispatcher dispatcher, TokenCounter tokens, Router router, UsageReport usage,
			ResponseCaching caching) {
		JsonBodyReader bodies = new JsonBodyReader(properties.server().maxBodySize().toBytes());
		ModelAccess models = new ModelAccess(catalog);
		InferenceRequests requests = new InferenceRequests(tokens, new RoutingHeaders(router));
		EndpointServices services = new EndpointServices(bodies, models, requests, dispatcher, caching);
		List<InferenceEndpoint> endpoints = List.of(new ChatCompletionsEndpoint(services),
				new EmbeddingsEndpoint(services), new ModelsEndpoint(models), new AnthropicMessagesEndpoint(services),
				new UsageEndpoint(usage));
		return new ProviderDispatchFilter(endpoints);
	}

	@Bean
	RouterFunction<ServerResponse> adminApi(AccountStore accounts, AdminToken adminToken, DeploymentCatalog catalog,
			ApiKeyAuthenticator authenticator, Router router, RateLimiter rateLimiter, BudgetStore budgets,
			UsageReport usage, BudgetBook budgetBook, R2dbcPricingStore prices, R2dbcInvoiceStore invoices,
			LivePricing pricing, ResponseCaching caching) {
		return AdminApi.routes(accounts, adminToken.value(), () -> describe(catalog), authenticator::invalidateAll,
				router, new LimitBookAdmin(rateLimiter), budgets, usage, () -> budgetBook.reload().subscribe(),
				new BillingAdmin(prices, invoices, pricing, java.time.Clock.systemUTC()), caching::purgeTenant);
	}

	@Bean
	AdminToken adminToken(FulcrumProperties properties) {
		return AdminToken.fromConfig(properties.server().adminToken());
	}

	/** The deployments as the admin API shows them: no secrets. */
	static List<Map<String, Object>> describe(DeploymentCatalog catalog) {
		List<Map<String, Object>> out = new ArrayList<>();
		for (Deployment d : catalog.deployments()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("id", d.id());
			item.put("provider", d.provider().id());
			item.put("provider_type", d.provider().kind().configName());
			item.put("base_url", d.provider().baseUrl());
			item.put("model", d.upstreamModel());
			item.put("priority", d.priority());
			item.put("price_per_million", Map.of("input", d.price().inputPerMillion(), "output",
					d.price().outputPerMillion(), "cached_input", d.price().cachedInputPerMillion()));
			List<String> aliases = new ArrayList<>();
			for (ModelAlias alias : catalog.aliases()) {
				if (alias.deployments().contains(d)) {
					aliases.add(alias.name());
				}
			}
			item.put("models", aliases);
			out.add(item);
		}
		return out;
	}

}
