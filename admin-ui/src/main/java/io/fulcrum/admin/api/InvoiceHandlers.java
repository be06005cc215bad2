package io.fulcrum.admin.api;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.invoice.CsvInvoice;
import io.fulcrum.billing.invoice.HtmlInvoice;
import io.fulcrum.billing.invoice.Invoice;
import io.fulcrum.billing.invoice.InvoiceLine;
import io.fulcrum.billing.invoice.InvoiceRefused;
import io.fulcrum.billing.invoice.PdfInvoice;
import io.fulcrum.billing.invoice.Reconciliation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /admin/api/invoices}: close a tenant's month, list and fetch invoices (JSON, HTML, PDF or CSV, by
 * {@code ?format=} or else by {@code Accept}), and reconcile one with the ledger.
 */
final class InvoiceHandlers {

	private static final List<String> CLOSE_FIELDS = List.of("tenant", "period");

	private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private static final Map<String, MediaType> FORMATS = Map.of("json", MediaType.APPLICATION_JSON, "html",
			MediaType.TEXT_HTML, "pdf", MediaType.APPLICATION_PDF, "csv", CSV);

	/** In the order offered when the client accepts several. */
	private static final List<String> OFFERED = List.of("json", "html", "pdf", "csv");

	private final BillingAdmin billing;

	private final AccountStore accounts;

	InvoiceHandlers(BillingAdmin billing, AccountStore accounts) {
		this.billing = billing;
		this.accounts = accounts;
	}

	/** {@code {"tenant": "ten_...", "period": "2026-03"}}: closes the month and answers its invoice. */
	Mono<ServerResponse> close(ServerRequest request) {
		return RequestBodies.object(request).flatMap((body) -> {
			List<String> problems = new ArrayList<>();
			Amounts.unknownFields(body, "", CLOSE_FIELDS, problems);
			JsonNode tenant = body.get("tenant");
			if (tenant == null || !tenant.isString() || tenant.asString().isBlank()) {
				problems.add("tenant: required, the id of the tenant to invoice");
			}
			YearMonth period = period(body.get("period"), problems);
			if (!problems.isEmpty() || period == null) {
				throw ApiProblem.invalidDocument("The invoice request is invalid: " + String.join("; ", problems),
						"invalid_invoice_request", problems);
			}
			String tenantId = tenant.asString();
			return this.accounts.findTenant(tenantId)
				.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(tenantId)))
				.then(this.billing.invoices().close(tenantId, period))
				.onErrorMap(InvoiceRefused.class, InvoiceHandlers::problem)
				.flatMap((invoice) -> JsonResponses.json(HttpStatus.CREATED, view(invoice)));
		});
	}

	/** {@code ?tenant=ten_...}: the tenant's invoices, oldest first. */
	Mono<ServerResponse> list(ServerRequest request) {
		String tenantId = request.queryParam("tenant").orElse("");
		if (tenantId.isBlank()) {
			return Mono.error(ApiProblem.invalidRequest("Query parameter 'tenant' is required", "tenant"));
		}
		return this.accounts.findTenant(tenantId)
			.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(tenantId)))
			.thenMany(this.billing.invoices().list(tenantId))
			.map(InvoiceHandlers::view)
			.collectList()
			.flatMap((invoices) -> JsonResponses.json(HttpStatus.OK, Lists.data(invoices)));
	}

	Mono<ServerResponse> show(ServerRequest request) {
		String number = request.pathVariable("number");
		String format = format(request);
		return this.billing.invoices()
			.find(number)
			.switchIfEmpty(Mono.error(() -> noSuchInvoice(number)))
			.flatMap((invoice) -> switch (format) {
				case "html" -> ServerResponse.ok()
					.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
					.bodyValue(HtmlInvoice.render(invoice).getBytes(StandardCharsets.UTF_8));
				// PDF layout is CPU work of a few milliseconds: kept off the event loop.
				case "pdf" -> Mono.fromCallable(() -> PdfInvoice.render(invoice))
					.subscribeOn(Schedulers.boundedElastic())
					.flatMap((pdf) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_PDF)
						.header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + number + ".pdf\"")
						.bodyValue(pdf));
				case "csv" -> ServerResponse.ok()
					.contentType(CSV)
					.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + number + ".csv\"")
					.bodyValue(CsvInvoice.render(invoice).getBytes(StandardCharsets.UTF_8));
				default -> JsonResponses.json(HttpStatus.OK, view(invoice));
			});
	}

	Mono<ServerResponse> reconcile(ServerRequest request) {
		String number = request.pathVariable("number");
		return this.billing.invoices()
			.reconcile(number)
			.switchIfEmpty(Mono.error(() -> noSuchInvoice(number)))
			.flatMap((r) -> JsonResponses.json(HttpStatus.OK, view(r)));
	}

	/** {@code ?format=} wins; otherwise the first offered format the {@code Accept} header allows. */
	private static String format(ServerRequest request) {
		String asked = request.queryParam("format").orElse(null);
		if (asked != null) {
			if (!FORMATS.containsKey(asked)) {
				throw ApiProblem.invalidRequest("Query parameter 'format' must be one of " + String.join(", ", OFFERED),
						"format");
			}
			return asked;
		}
		List<MediaType> accepted = new ArrayList<>(request.headers().accept());
		if (accepted.isEmpty()) {
			return "json";
		}
		// Stable: among equal qualities the client's order stands.
		accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType type : accepted) {
			for (String format : OFFERED) {
				if (type.includes(FORMATS.get(format)) && type.getQualityValue() > 0) {
					return format;
				}
			}
		}
		throw ApiProblem.notAcceptable("Invoices are offered as application/json, text/html, application/pdf and "
				+ "text/csv; the Accept header allows none of them");
	}

	private static @Nullable YearMonth period(@Nullable JsonNode value, List<String> problems) {
		if (value == null || !value.isString()) {
			problems.add("period: required, a month such as \"2026-03\"");
			return null;
		}
		try {
			return YearMonth.parse(value.asString());
		}
		catch (DateTimeParseException ex) {
			problems.add("period: '" + value.asString() + "' is not a month such as \"2026-03\"");
			return null;
		}
	}

	private static ApiProblem problem(InvoiceRefused refused) {
		return switch (refused.reason()) {
			case ALREADY_CLOSED -> ApiProblem.conflict(refused.getMessage(), "period_closed");
			case OUT_OF_ORDER, PERIOD_NOT_ENDED -> ApiProblem.invalidRequest(refused.getMessage(), "period");
		};
	}

	private static ApiProblem noSuchInvoice(String number) {
		return ApiProblem.notFound("No invoice numbered '" + number + "'");
	}

	/** Amounts are strings, exact: a JSON number would be read as a float by most clients. */
	static Map<String, Object> view(Invoice invoice) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("number", invoice.number());
		view.put("tenant_id", invoice.tenantId());
		view.put("period", invoice.period().toString());
		view.put("period_start", invoice.periodStart().toString());
		view.put("period_end", invoice.periodEnd().toString());
		view.put("currency", invoice.currency());
		view.put("closed_at", invoice.closedAt().toString());
		List<Map<String, Object>> lines = new ArrayList<>();
		for (InvoiceLine line : invoice.lines()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("kind", line.kind().name().toLowerCase());
			item.put("model", line.modelAlias());
			item.put("deployment", line.deploymentId());
			item.put("provider_model", line.upstreamModel());
			item.put("price_version", line.priceVersion());
			item.put("requests", line.requests());
			item.put("input_tokens", line.inputTokens());
			item.put("cached_input_tokens", line.cachedInputTokens());
			item.put("output_tokens", line.outputTokens());
			item.put("list_prices", (line.listPrices() != null) ? PriceHandlers.rates(line.listPrices()) : null);
			item.put("amount", Amounts.text(line.amount()));
			lines.add(item);
		}
		view.put("lines", lines);
		view.put("subtotal", Amounts.text(invoice.subtotal()));
		view.put("adjustments", Amounts.text(invoice.adjustments()));
		view.put("total", Amounts.text(invoice.total()));
		view.put("amount_due", invoice.amountDue().toPlainString());
		return view;
	}

	private static Map<String, Object> view(Reconciliation reconciliation) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("invoice", reconciliation.invoiceNumber());
		view.put("invoice_total", Amounts.text(reconciliation.invoiceTotal()));
		view.put("ledger_sum", Amounts.text(reconciliation.ledgerSum()));
		view.put("difference", Amounts.text(reconciliation.difference()));
		view.put("ledger_records", reconciliation.ledgerRecords());
		view.put("matches", reconciliation.matches());
		return view;
	}

}
