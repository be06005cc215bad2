package io.fulcrum.admin.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.pricing.CustomerPricing;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PriceBookEntry;
import io.fulcrum.billing.pricing.PriceChangeRefused;
import io.fulcrum.billing.pricing.Rates;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /admin/api/prices} (price book versions) and {@code /admin/api/tenants/{id}/pricing} (markup or own price
 * list). Every change is written first and then reloaded into the snapshot the gateway prices with, so a change
 * that failed to be stored never prices anything.
 */
final class PriceHandlers {

	private static final List<String> PRICE_FIELDS = List.of("deployment", "model", "effective_from",
			"input_per_million", "output_per_million", "cached_input_per_million", "per_request_fee");

	private static final int MARKUP_SCALE = 4;

	private static final List<String> PRICING_FIELDS = List.of("markup_percent", "price_list");

	private final BillingAdmin billing;

	private final AccountStore accounts;

	private final Supplier<List<Map<String, Object>>> deployments;

	PriceHandlers(BillingAdmin billing, AccountStore accounts, Supplier<List<Map<String, Object>>> deployments) {
		this.billing = billing;
		this.accounts = accounts;
		this.deployments = deployments;
	}

	/** Every version of every price book, with the one in force now marked. */
	Mono<ServerResponse> list(ServerRequest request) {
		return reload().flatMap((snapshot) -> {
			Instant now = this.billing.clock().instant();
			List<Map<String, Object>> views = new ArrayList<>();
			for (PriceBookEntry entry : snapshot.book().entries()) {
				views.add(view(entry, entry.equals(snapshot.book().entryAt(entry.deploymentId(), entry.model(), now))));
			}
			return JsonResponses.json(HttpStatus.OK, Lists.data(views));
		});
	}

	/** Adds the next version of a deployment's price; refused whole, every problem listed, if anything is wrong. */
	Mono<ServerResponse> add(ServerRequest request) {
		return RequestBodies.object(request).flatMap((body) -> {
			Instant now = this.billing.clock().instant();
			List<String> problems = new ArrayList<>();
			Amounts.unknownFields(body, "", PRICE_FIELDS, problems);
			String deployment = text(body, "deployment", problems);
			String model = null;
			if (deployment != null) {
				Map<String, Object> known = this.deployments.get()
					.stream()
					.filter((d) -> deployment.equals(d.get("id")))
					.findFirst()
					.orElse(null);
				if (known == null) {
					problems.add("deployment: no deployment '" + deployment + "' is configured");
				}
				else {
					model = (body.hasNonNull("model") || !(known.get("model") instanceof String configured))
							? text(body, "model", problems) : configured;
				}
			}
			Instant effectiveFrom = effectiveFrom(body, now, problems);
			Rates rates = Amounts.rates(body, "", problems);
			if (!problems.isEmpty() || model == null || rates == null) {
				throw ApiProblem.invalidDocument("The price is invalid: " + String.join("; ", problems), "invalid_price",
						problems);
			}
			return this.billing.prices()
				.addVersion(deployment, model, effectiveFrom, rates, now)
				.onErrorMap(PriceChangeRefused.class,
						(ex) -> ApiProblem.invalidRequest(ex.getMessage(), "effective_from"))
				.flatMap((entry) -> reload().thenReturn(entry))
				.flatMap((entry) -> JsonResponses.json(HttpStatus.CREATED, view(entry,
						!entry.effectiveFrom().isAfter(now))));
		});
	}

	Mono<ServerResponse> showTenantPricing(ServerRequest request) {
		String tenantId = request.pathVariable("id");
		return this.accounts.findTenant(tenantId)
			.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(tenantId)))
			.flatMap((tenant) -> reload())
			.flatMap((snapshot) -> JsonResponses.json(HttpStatus.OK,
					view(tenantId, snapshot.tenants().getOrDefault(tenantId, CustomerPricing.AT_COST))));
	}

	/** Replaces a tenant's pricing; records already priced keep their prices. */
	Mono<ServerResponse> setTenantPricing(ServerRequest request) {
		String tenantId = request.pathVariable("id");
		return this.accounts.findTenant(tenantId)
			.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(tenantId)))
			.then(RequestBodies.object(request))
			.flatMap((body) -> {
				CustomerPricing pricing = customerPricing(body);
				return this.billing.prices()
					.setTenantPricing(tenantId, pricing)
					.then(reload())
					.then(JsonResponses.json(HttpStatus.OK, view(tenantId, pricing)));
			});
	}

	private Mono<LivePricing.Snapshot> reload() {
		return this.billing.prices().load().doOnNext(this.billing.live()::replace);
	}

	private static CustomerPricing customerPricing(JsonNode body) {
		List<String> problems = new ArrayList<>();
		Amounts.unknownFields(body, "", PRICING_FIELDS, problems);
		BigDecimal markup = Amounts.amount(body, "markup_percent", "", BigDecimal.ZERO, problems);
		if (markup != null && markup.compareTo(CustomerPricing.MAX_MARKUP_PERCENT) > 0) {
			problems.add("markup_percent: at most " + CustomerPricing.MAX_MARKUP_PERCENT);
		}
		else if (markup != null && markup.stripTrailingZeros().scale() > MARKUP_SCALE) {
			// The column is NUMERIC(12, 4): refused rather than rounded behind the admin's back.
			problems.add("markup_percent: at most " + MARKUP_SCALE + " decimal places");
		}
		Map<String, Rates> priceList = new LinkedHashMap<>();
		JsonNode list = body.get("price_list");
		if (list != null && !list.isNull()) {
			if (!list.isObject()) {
				problems.add("price_list: must be an object of model aliases to rates");
			}
			else {
				for (String alias : list.propertyNames()) {
					JsonNode rates = list.get(alias);
					String at = "price_list." + alias + ".";
					if (alias.isBlank() || alias.length() > 255) {
						problems.add("price_list: model alias '" + alias + "' must be 1 to 255 characters");
					}
					else if (!rates.isObject()) {
						problems.add(at.substring(0, at.length() - 1) + ": must be an object with "
								+ String.join(", ", Amounts.RATE_FIELDS));
					}
					else {
						Amounts.unknownFields(rates, at, Amounts.RATE_FIELDS, problems);
						Rates parsed = Amounts.rates(rates, at, problems);
						if (parsed != null) {
							priceList.put(alias, parsed);
						}
					}
				}
			}
		}
		if (!problems.isEmpty()) {
			throw ApiProblem.invalidDocument("The pricing is invalid: " + String.join("; ", problems),
					"invalid_pricing", problems);
		}
		return new CustomerPricing(markup, priceList);
	}

	private static @Nullable Instant effectiveFrom(JsonNode body, Instant now, List<String> problems) {
		JsonNode value = body.get("effective_from");
		if (value == null || value.isNull()) {
			return now;
		}
		if (!value.isString()) {
			problems.add("effective_from: must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
			return null;
		}
		try {
			Instant at = Instant.parse(value.asString());
			if (at.isBefore(now)) {
				problems.add("effective_from: " + at + " is in the past; a price change applies from now on and "
						+ "never reprices past records");
			}
			return at;
		}
		catch (DateTimeParseException ex) {
			problems.add("effective_from: '" + value.asString()
					+ "' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
			return null;
		}
	}

	private static @Nullable String text(JsonNode body, String field, List<String> problems) {
		JsonNode value = body.get(field);
		if (value == null || !value.isString() || value.asString().isBlank() || value.asString().length() > 255) {
			problems.add(field + ": required, a non-blank string of at most 255 characters");
			return null;
		}
		return value.asString().strip();
	}

	private static Map<String, Object> view(PriceBookEntry entry, boolean inForce) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("deployment", entry.deploymentId());
		view.put("model", entry.model());
		view.put("version", entry.version());
		view.put("effective_from", entry.effectiveFrom().toString());
		view.put("in_force", inForce);
		view.putAll(rates(entry.rates()));
		return view;
	}

	private static Map<String, Object> view(String tenantId, CustomerPricing pricing) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("tenant_id", tenantId);
		view.put("markup_percent", Amounts.text(pricing.markupPercent()));
		Map<String, Object> list = new LinkedHashMap<>();
		pricing.priceList().entrySet().stream().sorted(Map.Entry.comparingByKey())
			.forEach((e) -> list.put(e.getKey(), rates(e.getValue())));
		view.put("price_list", list);
		return view;
	}

	static Map<String, Object> rates(Rates rates) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("input_per_million", Amounts.text(rates.tokens().inputPerMillion()));
		view.put("output_per_million", Amounts.text(rates.tokens().outputPerMillion()));
		view.put("cached_input_per_million", Amounts.text(rates.tokens().cachedInputPerMillion()));
		view.put("per_request_fee", Amounts.text(rates.perRequestFee()));
		return view;
	}

}
