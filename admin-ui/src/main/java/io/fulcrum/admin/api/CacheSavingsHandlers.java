package io.fulcrum.admin.api;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.usage.UsageReport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /tenants/{id}/cache-savings?start=YYYY-MM-DD&end=YYYY-MM-DD}: a tenant's response-cache hits and what
 * they saved (at the customer price) in {@code [start, end)} UTC days; by default the current calendar month.
 */
final class CacheSavingsHandlers {

	private final AccountStore accounts;

	private final UsageReport usage;

	CacheSavingsHandlers(AccountStore accounts, UsageReport usage) {
		this.accounts = accounts;
		this.usage = usage;
	}

	Mono<ServerResponse> show(ServerRequest request) {
		String id = request.pathVariable("id");
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate start;
		LocalDate end;
		try {
			start = day(request.queryParam("start").orElse(null), today.withDayOfMonth(1), "start");
			end = day(request.queryParam("end").orElse(null), today.plusDays(1), "end");
		}
		catch (ApiProblem problem) {
			return Mono.error(problem);
		}
		if (!end.isAfter(start)) {
			return Mono.error(ApiProblem.invalidRequest("'end' must be after 'start'; end is exclusive.", "end"));
		}
		return this.accounts.findTenant(id)
			.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(id)))
			.flatMap((tenant) -> this.usage.cacheSavings(id, start.atStartOfDay(ZoneOffset.UTC).toInstant(),
					end.atStartOfDay(ZoneOffset.UTC).toInstant()))
			.flatMap((savings) -> {
				Map<String, Object> view = new LinkedHashMap<>();
				view.put("tenant_id", id);
				view.put("start", start.toString());
				view.put("end", end.toString());
				view.put("hits", savings.hits());
				view.put("saved_usd", savings.savedUsd().stripTrailingZeros().toPlainString());
				return JsonResponses.json(HttpStatus.OK, view);
			});
	}

	private static LocalDate day(@Nullable String text, LocalDate fallback, String param) {
		if (text == null || text.isBlank()) {
			return fallback;
		}
		try {
			return LocalDate.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw ApiProblem.invalidRequest("'" + param + "' must be a day as YYYY-MM-DD.", param);
		}
	}

}
