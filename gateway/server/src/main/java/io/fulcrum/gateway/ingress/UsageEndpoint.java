package io.fulcrum.gateway.ingress;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.billing.usage.UsageReport.GroupBy;
import io.fulcrum.billing.usage.UsageReport.UsageTotal;
import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/usage?start=YYYY-MM-DD&end=YYYY-MM-DD&group_by=day|key|model}: the caller's tenant's usage totals,
 * authenticated by its app key like {@code /v1/models}. The tenant is always the key's own: no parameter can name
 * another. {@code start} is inclusive, {@code end} exclusive (default: tomorrow), both UTC days, at most
 * {@value #MAX_DAYS} days apart; {@code group_by} defaults to {@code day}. {@code cache} gives the range's response-cache
 * hits and what they saved ({@code saved_usd}, at the customer price).
 */
public final class UsageEndpoint implements InferenceEndpoint {

	static final int MAX_DAYS = 366;

	private static final Set<String> PARAMETERS = Set.of("start", "end", "group_by");

	private final UsageReport report;

	public UsageEndpoint(UsageReport report) {
		this.report = report;
	}

	@Override
	public String name() {
		return "usage";
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Caller caller) {
		if (exchange.getRequest().getMethod() != HttpMethod.GET) {
			return Mono.error(new GatewayException(ErrorKind.METHOD_NOT_ALLOWED, "Use GET to read usage.", null,
					"method_not_allowed", null));
		}
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		for (String name : query.keySet()) {
			if (!PARAMETERS.contains(name)) {
				return Mono.error(GatewayException.invalid(
						"Unknown parameter '" + name + "'; use start, end and group_by.", name));
			}
		}
		LocalDate start;
		LocalDate end;
		GroupBy groupBy;
		try {
			start = date(query.getFirst("start"), "start");
			String endText = query.getFirst("end");
			end = endText == null ? LocalDate.now(ZoneOffset.UTC).plusDays(1) : date(endText, "end");
			groupBy = groupBy(query.getFirst("group_by"));
		}
		catch (GatewayException ex) {
			return Mono.error(ex);
		}
		if (!end.isAfter(start)) {
			return Mono.error(GatewayException.invalid("'end' (" + end + ") must be after 'start' (" + start
					+ "); end is exclusive.", "end"));
		}
		if (ChronoUnit.DAYS.between(start, end) > MAX_DAYS) {
			return Mono.error(GatewayException.invalid(
					"The range from 'start' to 'end' may span at most " + MAX_DAYS + " days.", "end"));
		}
		Instant from = start.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant to = end.atStartOfDay(ZoneOffset.UTC).toInstant();
		return this.report.totals(caller.tenantId(), from, to, groupBy)
			.collectList()
			.zipWith(this.report.cacheSavings(caller.tenantId(), from, to))
			// Off the event loop: the embedded database's R2DBC driver (H2) runs queries on the subscribing thread.
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(both -> {
				ObjectNode body = body(start, end, groupBy, both.getT1());
				ObjectNode cache = body.putObject("cache");
				cache.put("hits", both.getT2().hits());
				cache.put("saved_usd", plain(both.getT2().savedUsd()));
				return write(exchange, body);
			});
	}

	private static ObjectNode body(LocalDate start, LocalDate end, GroupBy groupBy, List<UsageTotal> totals) {
		ObjectNode body = Json.object();
		body.put("object", "list");
		body.put("start", start.toString());
		body.put("end", end.toString());
		body.put("group_by", groupBy.label());
		body.put("currency", "usd");
		ArrayNode data = body.putArray("data");
		long requests = 0;
		long input = 0;
		long output = 0;
		BigDecimal cost = BigDecimal.ZERO;
		for (UsageTotal total : totals) {
			ObjectNode row = data.addObject();
			row.put(groupBy.label(), total.group());
			fill(row, total.requests(), total.inputTokens(), total.outputTokens(), total.costUsd());
			requests += total.requests();
			input += total.inputTokens();
			output += total.outputTokens();
			cost = cost.add(total.costUsd());
		}
		// Requests are distinct per group; a request split over groups (two days) counts in each.
		fill(body.putObject("total"), requests, input, output, cost);
		return body;
	}

	private static void fill(ObjectNode node, long requests, long input, long output, BigDecimal cost) {
		node.put("requests", requests);
		node.put("input_tokens", input);
		node.put("output_tokens", output);
		node.put("cost_usd", plain(cost));
	}

	private static BigDecimal plain(BigDecimal amount) {
		BigDecimal plain = amount.stripTrailingZeros();
		return plain.scale() < 0 ? plain.setScale(0) : plain;
	}

	private static LocalDate date(@Nullable String text, String param) {
		if (text == null || text.isBlank()) {
			throw new GatewayException(ErrorKind.INVALID_REQUEST,
					"'" + param + "' is required: a UTC day as YYYY-MM-DD.", param, "missing_parameter", null);
		}
		try {
			return LocalDate.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw GatewayException.invalid("'" + param + "' must be a day as YYYY-MM-DD, not '" + text + "'.", param);
		}
	}

	private static GroupBy groupBy(@Nullable String text) {
		if (text == null) {
			return GroupBy.DAY;
		}
		return switch (text) {
			case "day" -> GroupBy.DAY;
			case "key" -> GroupBy.KEY;
			case "model" -> GroupBy.MODEL;
			default -> throw GatewayException.invalid("'group_by' must be day, key or model, not '" + text + "'.",
					"group_by");
		};
	}

	private static Mono<Void> write(ServerWebExchange exchange, ObjectNode body) {
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(Json.bytes(body))));
	}

}
