package io.fulcrum.admin.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.routing.Router;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin REST API, as a router the gateway adds to its own. Every route under {@value #BASE_PATH} needs
 * {@code Authorization: Bearer <admin token>}; paths outside it are left to other routers.
 */
public final class AdminApi {

	/** Where the API lives. */
	public static final String BASE_PATH = "/admin/api";

	private AdminApi() {
	}

	/**
	 * The routes of the admin API.
	 * @param accounts where tenants and keys live
	 * @param adminToken the bearer token that grants access; must not be blank
	 * @param deployments the deployments to list, read at each request
	 * @param onAccountsChanged run after every successful change of tenants or keys, so that caches drop stale keys
	 * @param router the routing engine whose policies {@code /policies} shows and replaces
	 * @param limits the rate limits {@code /limits} shows and replaces
	 * @param budgets where budgets are stored ({@code /budgets}, {@code /tenants/{id}/budget},
	 * {@code /keys/{id}/budget})
	 * @param usage the ledger's totals, for a budget's spend in its current period
	 * @param onBudgetsChanged run after every successful change of a budget, so that the gateway reloads them
	 */
	public static RouterFunction<ServerResponse> routes(AccountStore accounts, String adminToken,
			Supplier<List<Map<String, Object>>> deployments, Runnable onAccountsChanged, Router router,
			RateLimitAdmin limits, BudgetStore budgets, UsageReport usage, Runnable onBudgetsChanged) {
		return routes(accounts, adminToken, deployments, onAccountsChanged, router, limits, budgets, usage,
				onBudgetsChanged, null);
	}

	/**
	 * The routes of the admin API, with the billing routes ({@code /prices}, {@code /tenants/{id}/pricing},
	 * {@code /invoices}) when {@code billing} is given.
	 * @param deployments the deployments to list, read at each request; a price may only be set for one of them,
	 * and its {@code model} entry is the default upstream model of a new price
	 * @param billing price books, tenant pricing and invoices, or {@code null} for an API without them
	 */
	public static RouterFunction<ServerResponse> routes(AccountStore accounts, String adminToken,
			Supplier<List<Map<String, Object>>> deployments, Runnable onAccountsChanged, Router router,
			RateLimitAdmin limits, BudgetStore budgets, UsageReport usage, Runnable onBudgetsChanged,
			@Nullable BillingAdmin billing) {
		return routes(accounts, adminToken, deployments, onAccountsChanged, router, limits, budgets, usage,
				onBudgetsChanged, billing, null);
	}

	/**
	 * The routes of the admin API, with {@code DELETE /tenants/{id}/cache} when {@code cachePurge} is given.
	 * @param cachePurge removes every response-cache entry of a tenant (exact and semantic), completing with how
	 * many; {@code null} for an API without the route
	 */
	public static RouterFunction<ServerResponse> routes(AccountStore accounts, String adminToken,
			Supplier<List<Map<String, Object>>> deployments, Runnable onAccountsChanged, Router router,
			RateLimitAdmin limits, BudgetStore budgets, UsageReport usage, Runnable onBudgetsChanged,
			@Nullable BillingAdmin billing, @Nullable Function<String, Mono<Long>> cachePurge) {
		AccountsChanged changed = new AccountsChanged(onAccountsChanged);
		TenantHandlers tenants = new TenantHandlers(accounts, changed);
		KeyHandlers keys = new KeyHandlers(accounts, changed);
		PolicyHandlers policies = new PolicyHandlers(router);
		LimitHandlers limitHandlers = new LimitHandlers(limits);
		BudgetHandlers budgetHandlers = new BudgetHandlers(budgets, accounts, usage,
				new AccountsChanged(onBudgetsChanged));
		CacheSavingsHandlers cacheSavings = new CacheSavingsHandlers(accounts, usage);
		RouterFunctions.Builder builder = RouterFunctions.route();
		if (cachePurge != null) {
			builder.DELETE("/tenants/{id}/cache", (request) -> {
				String id = request.pathVariable("id");
				return accounts.findTenant(id)
					.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(id)))
					.flatMap((tenant) -> cachePurge.apply(id))
					.flatMap((purged) -> JsonResponses.json(HttpStatus.OK,
							Map.of("tenant_id", id, "purged_entries", purged)));
			});
		}
		if (billing != null) {
			PriceHandlers prices = new PriceHandlers(billing, accounts, deployments);
			InvoiceHandlers invoices = new InvoiceHandlers(billing, accounts);
			builder.GET("/prices", prices::list)
				.POST("/prices", prices::add)
				.GET("/tenants/{id}/pricing", prices::showTenantPricing)
				.PUT("/tenants/{id}/pricing", prices::setTenantPricing)
				.POST("/invoices", invoices::close)
				.GET("/invoices", invoices::list)
				.GET("/invoices/{number}/reconciliation", invoices::reconcile)
				.GET("/invoices/{number}", invoices::show);
		}
		RouterFunction<ServerResponse> api = builder
			.POST("/tenants", tenants::create)
			.GET("/tenants", tenants::list)
			.GET("/tenants/{id}", tenants::show)
			.GET("/tenants/{id}/budget", budgetHandlers::showTenant)
			.PUT("/tenants/{id}/budget", budgetHandlers::putTenant)
			.DELETE("/tenants/{id}/budget", budgetHandlers::deleteTenant)
			.GET("/tenants/{id}/cache-savings", cacheSavings::show)
			.GET("/keys/{id}/budget", budgetHandlers::showKey)
			.PUT("/keys/{id}/budget", budgetHandlers::putKey)
			.DELETE("/keys/{id}/budget", budgetHandlers::deleteKey)
			.GET("/budgets", budgetHandlers::list)
			.DELETE("/tenants/{id}", tenants::revoke)
			.POST("/tenants/{id}/keys", keys::issue)
			.GET("/tenants/{id}/keys", keys::list)
			.DELETE("/keys/{id}", keys::revoke)
			.GET("/policies", policies::show)
			.PUT("/policies", policies::apply)
			.POST("/policies/validate", policies::validate)
			.GET("/limits", limitHandlers::show)
			.PUT("/limits", limitHandlers::replace)
			.GET("/deployments", (request) -> JsonResponses.json(HttpStatus.OK, Lists.data(deployments.get())))
			// Last: an unknown route still answers JSON, and only after authentication.
			.route(RequestPredicates.all(),
					(request) -> Mono.error(ApiProblem
						.notFound("No admin API route for " + request.method() + " " + request.path())))
			.build()
			.filter(new AdminAuthentication(adminToken))
			.filter(new ErrorAnswers());
		return RouterFunctions.route().path(BASE_PATH, () -> api).build();
	}

}
