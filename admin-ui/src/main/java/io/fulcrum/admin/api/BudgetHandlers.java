package io.fulcrum.admin.api;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.budget.Enforcement;
import io.fulcrum.billing.usage.UsageReport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /admin/api/budgets}, {@code /admin/api/tenants/{id}/budget} and {@code /admin/api/keys/{id}/budget}: list,
 * show, set and remove budgets. A budget is set whole, e.g.
 * {@code {"amount_usd": "50.00", "period": "month", "enforcement": "hard", "alert_threshold": 0.8}}
 * ({@code enforcement} defaults to {@code hard}, {@code alert_threshold} to 0.8); a body with any problem is
 * refused whole, every problem listed. Shown budgets carry this period's spend from the ledger.
 */
final class BudgetHandlers {

	private static final List<String> FIELDS = List.of("amount_usd", "period", "enforcement", "alert_threshold");

	private final BudgetStore budgets;

	private final AccountStore accounts;

	private final UsageReport usage;

	private final AccountsChanged changed;

	private final Clock clock = Clock.systemUTC();

	BudgetHandlers(BudgetStore budgets, AccountStore accounts, UsageReport usage, AccountsChanged changed) {
		this.budgets = budgets;
		this.accounts = accounts;
		this.usage = usage;
		this.changed = changed;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return this.budgets.all()
			.map(BudgetHandlers::view)
			.collectList()
			.flatMap((all) -> JsonResponses.json(HttpStatus.OK, Lists.data(all)));
	}

	Mono<ServerResponse> showTenant(ServerRequest request) {
		return show(BudgetScope.TENANT, request.pathVariable("id"));
	}

	Mono<ServerResponse> showKey(ServerRequest request) {
		return show(BudgetScope.KEY, request.pathVariable("id"));
	}

	Mono<ServerResponse> putTenant(ServerRequest request) {
		return put(BudgetScope.TENANT, request);
	}

	Mono<ServerResponse> putKey(ServerRequest request) {
		return put(BudgetScope.KEY, request);
	}

	Mono<ServerResponse> deleteTenant(ServerRequest request) {
		return delete(BudgetScope.TENANT, request.pathVariable("id"));
	}

	Mono<ServerResponse> deleteKey(ServerRequest request) {
		return delete(BudgetScope.KEY, request.pathVariable("id"));
	}

	private Mono<ServerResponse> show(BudgetScope scope, String id) {
		return tenantOf(scope, id).flatMap((tenantId) -> this.budgets.find(scope, id)
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("The " + scope.label() + " '" + id + "' has no budget")))
			.flatMap((budget) -> {
				BudgetPeriod.Window window = budget.period().window(this.clock.instant());
				return this.usage
					.spent(tenantId, scope == BudgetScope.KEY ? id : null, window.start(), window.end())
					.map((spent) -> {
						Map<String, Object> view = view(budget);
						view.put("period_start", window.start().toString());
						view.put("period_end", window.end().toString());
						view.put("spent_usd", spent.stripTrailingZeros().toPlainString());
						return view;
					});
			})
			.flatMap((view) -> JsonResponses.json(HttpStatus.OK, view)));
	}

	private Mono<ServerResponse> put(BudgetScope scope, ServerRequest request) {
		String id = request.pathVariable("id");
		return tenantOf(scope, id).then(RequestBodies.object(request))
			.map((body) -> parse(scope, id, body))
			.flatMap(this.budgets::put)
			.doOnNext((budget) -> this.changed.signal())
			.flatMap((budget) -> JsonResponses.json(HttpStatus.OK, view(budget)));
	}

	private Mono<ServerResponse> delete(BudgetScope scope, String id) {
		return this.budgets.delete(scope, id).flatMap((deleted) -> {
			if (!deleted) {
				return Mono.error(ApiProblem.notFound("The " + scope.label() + " '" + id + "' has no budget"));
			}
			this.changed.signal();
			return ServerResponse.noContent().build();
		});
	}

	/** The tenant the subject belongs to; 404 when the tenant or key does not exist. */
	private Mono<String> tenantOf(BudgetScope scope, String id) {
		if (scope == BudgetScope.TENANT) {
			return this.accounts.findTenant(id)
				.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(id)))
				.map((tenant) -> tenant.id());
		}
		return this.accounts.findKey(id)
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No key with id '" + id + "'")))
			.map((key) -> key.tenantId());
	}

	static Budget parse(BudgetScope scope, String id, JsonNode body) {
		List<String> problems = new ArrayList<>();
		for (String field : body.propertyNames()) {
			if (!FIELDS.contains(field)) {
				problems.add(field + ": unknown field (use " + String.join(", ", FIELDS) + ")");
			}
		}
		BigDecimal amount = decimal(body, "amount_usd", problems);
		if (amount == null && absent(body, "amount_usd")) {
			problems.add("amount_usd: required, a positive amount in US dollars, e.g. \"50.00\"");
		}
		BudgetPeriod period = choice(body, "period", null, problems, BudgetPeriod::of, "day or month");
		Enforcement enforcement = choice(body, "enforcement", Enforcement.HARD, problems, Enforcement::of,
				"hard or soft");
		BigDecimal alert = !absent(body, "alert_threshold") ? decimal(body, "alert_threshold", problems)
				: Budget.DEFAULT_ALERT_THRESHOLD;
		if (amount != null && (amount.signum() <= 0 || amount.compareTo(Budget.MAX_AMOUNT) > 0)) {
			problems.add("amount_usd: must be more than 0 and at most " + Budget.MAX_AMOUNT.toPlainString());
		}
		else if (amount != null && amount.stripTrailingZeros().scale() > 9) {
			problems.add("amount_usd: at most 9 decimal places (budgets count nano-dollars)");
		}
		if (alert != null && (alert.signum() <= 0 || alert.compareTo(BigDecimal.ONE) > 0)) {
			problems.add("alert_threshold: must be a share of the budget, more than 0 and at most 1");
		}
		else if (alert != null && alert.stripTrailingZeros().scale() > 4) {
			problems.add("alert_threshold: at most 4 decimal places");
		}
		if (!problems.isEmpty() || amount == null || period == null || enforcement == null || alert == null) {
			throw ApiProblem.invalidDocument("The budget is invalid: " + String.join("; ", problems),
					"invalid_budget", problems);
		}
		return new Budget(scope, id, amount, period, enforcement, alert);
	}

	private static boolean absent(JsonNode body, String field) {
		JsonNode value = body.get(field);
		return value == null || value.isNull();
	}

	/** A JSON number or a decimal string; never through a double's binary value. */
	private static @Nullable BigDecimal decimal(JsonNode body, String field, List<String> problems) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		BigDecimal decimal = Amounts.decimal(value);
		if (decimal == null) {
			problems.add(field + ": must be a decimal number or a string holding one, e.g. \"12.50\"");
		}
		return decimal;
	}

	private static <T> @Nullable T choice(JsonNode body, String field, @Nullable T fallback, List<String> problems,
			java.util.function.Function<String, T> parse, String allowed) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			if (fallback == null) {
				problems.add(field + ": required, " + allowed);
			}
			return fallback;
		}
		if (value.isString()) {
			try {
				return parse.apply(value.asString());
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
		}
		problems.add(field + ": must be " + allowed + ", not " + value);
		return null;
	}

	static Map<String, Object> view(Budget budget) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("scope", budget.scope().label());
		view.put("id", budget.subjectId());
		// Strings, so that no client reads money through a double.
		view.put("amount_usd", budget.amountUsd().toPlainString());
		view.put("period", budget.period().label());
		view.put("enforcement", budget.enforcement().label());
		view.put("alert_threshold", budget.alertThreshold().toPlainString());
		return view;
	}

}
