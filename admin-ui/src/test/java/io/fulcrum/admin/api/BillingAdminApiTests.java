package io.fulcrum.admin.api;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricingStore;
import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;
import io.fulcrum.billing.r2dbc.R2dbcAccountStore;
import io.fulcrum.billing.r2dbc.R2dbcBudgetStore;
import io.fulcrum.billing.r2dbc.R2dbcInvoiceStore;
import io.fulcrum.billing.r2dbc.R2dbcPricingStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageReport;
import io.fulcrum.billing.r2dbc.R2dbcUsageLedger;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.telemetry.TelemetrySettings;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The billing routes of the admin API: prices, tenant pricing and invoices, on an embedded database. */
class BillingAdminApiTests {

	private static final String TOKEN = "admin-token-for-tests";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Mid-June 2026: March to May can be closed, and prices may take effect from now on. */
	private static final Instant NOW = Instant.parse("2026-06-15T09:00:00Z");

	private static final TokenPrice CONFIGURED = new TokenPrice(new BigDecimal("0.15"), new BigDecimal("0.60"),
			new BigDecimal("0.075"));

	private BillingDatabase database;

	private R2dbcAccountStore accounts;

	private R2dbcUsageLedger ledger;

	private LivePricing live;

	private WebTestClient client;

	@BeforeEach
	void start() {
		this.database = BillingDatabase.open(settings());
		this.accounts = new R2dbcAccountStore(this.database.client());
		this.ledger = new R2dbcUsageLedger(this.database.client());
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		R2dbcPricingStore prices = new R2dbcPricingStore(this.database.client(), clock);
		prices.seed(List.of(new PricingStore.SeedPrice("openai-east", "gpt-4o-mini", CONFIGURED))).block(WAIT);
		this.live = new LivePricing(prices.load().block(WAIT));
		BillingAdmin billing = new BillingAdmin(prices, new R2dbcInvoiceStore(this.database.client(), clock),
				this.live, clock);
		List<Map<String, Object>> deployments = List
			.of(Map.of("id", "openai-east", "provider", "openai", "model", "gpt-4o-mini"));
		RouterFunction<ServerResponse> routes = AdminApi.routes(this.accounts, TOKEN, () -> deployments, () -> {
		}, new Router(TelemetrySettings.DEFAULTS, () -> 0.5), new NoLimits(), new R2dbcBudgetStore(this.database.client()),
				new R2dbcUsageReport(this.database.client()), () -> {
				}, billing);
		this.client = WebTestClient.bindToRouterFunction(routes)
			.configureClient()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.build();
	}

	/** The embedded database; {@link PostgresBillingAdminApiTests} runs the same tests on PostgreSQL. */
	BillingDatabaseSettings settings() {
		return BillingDatabaseSettings.inMemory("billing-admin-" + UUID.randomUUID());
	}

	@AfterEach
	void stop() {
		this.ledger.close();
		this.database.close();
	}

	@Test
	void newPriceVersionIsListedAndPricesFromItsEffectiveDate() {
		JsonNode added = exchange("POST", "/admin/api/prices", """
				{"deployment": "openai-east", "effective_from": "2026-07-01T00:00:00Z", "input_per_million": 0.2,
				 "output_per_million": 0.8, "per_request_fee": 0.0001}""", HttpStatus.CREATED);
		JsonNode listed = exchange("GET", "/admin/api/prices", null, HttpStatus.OK);

		assertThat(added.get("version").asInt()).isEqualTo(2);
		assertThat(added.get("model").asString()).isEqualTo("gpt-4o-mini");
		assertThat(added.get("in_force").asBoolean()).isFalse();
		// Cached input defaults to the input price.
		assertThat(added.get("cached_input_per_million").asString()).isEqualTo("0.2");
		assertThat(added.get("per_request_fee").asString()).isEqualTo("0.0001");
		assertThat(listed.get("data").valueStream().map((e) -> e.get("version").asInt() + ":" + e.get("in_force")))
			.containsExactly("1:true", "2:false");
		assertThat(this.live.current().book().entryAt("openai-east", "gpt-4o-mini", NOW).version()).isEqualTo(1);
		assertThat(this.live.current().book().entryAt("openai-east", "gpt-4o-mini", Instant.parse(
				"2026-07-01T00:00:00Z")).version()).isEqualTo(2);
	}

	@Test
	void malformedPriceIsRefusedWithEveryProblemNamed() {
		JsonNode error = exchange("POST", "/admin/api/prices", """
				{"deployment": "nope", "effective_from": "next week", "input_per_million": "cheap",
				 "output_per_million": -1, "cached_input_per_million": 0.00000000001, "colour": "red"}""",
				HttpStatus.BAD_REQUEST).get("error");

		assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.get("code").asString()).isEqualTo("invalid_price");
		assertThat(error.get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"colour: unknown field (use deployment, model, effective_from, input_per_million, output_per_million, "
						+ "cached_input_per_million, per_request_fee)",
				"deployment: no deployment 'nope' is configured",
				"effective_from: 'next week' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z",
				"input_per_million: must be a decimal number or a string holding one, e.g. \"0.15\"",
				"output_per_million: must not be negative",
				"cached_input_per_million: at most 10 decimal places");
		assertThat(this.live.current().book().entries()).hasSize(1);
	}

	@Test
	void priceThatWouldRewriteThePastIsRefused() {
		JsonNode past = exchange("POST", "/admin/api/prices", """
				{"deployment": "openai-east", "effective_from": "2026-06-01T00:00:00Z", "input_per_million": 1,
				 "output_per_million": 1}""", HttpStatus.BAD_REQUEST).get("error");
		exchange("POST", "/admin/api/prices", """
				{"deployment": "openai-east", "effective_from": "2026-08-01T00:00:00Z", "input_per_million": 1,
				 "output_per_million": 1}""", HttpStatus.CREATED);
		JsonNode beforeNewest = exchange("POST", "/admin/api/prices", """
				{"deployment": "openai-east", "effective_from": "2026-07-01T00:00:00Z", "input_per_million": 1,
				 "output_per_million": 1}""", HttpStatus.BAD_REQUEST).get("error");

		assertThat(past.get("problems").get(0).asString()).isEqualTo("effective_from: 2026-06-01T00:00:00Z is in the "
				+ "past; a price change applies from now on and never reprices past records");
		assertThat(beforeNewest.get("param").asString()).isEqualTo("effective_from");
		assertThat(beforeNewest.get("message").asString()).contains("before version 2");
	}

	@Test
	void tenantPricingIsReplacedAndMalformedPricingRefused() {
		String tenant = createTenant();

		JsonNode set = exchange("PUT", "/admin/api/tenants/" + tenant + "/pricing", """
				{"markup_percent": 20, "price_list": {"chat": {"input_per_million": 1, "output_per_million": 2}}}""",
				HttpStatus.OK);
		JsonNode refused = exchange("PUT", "/admin/api/tenants/" + tenant + "/pricing", """
				{"markup_percent": 2000, "price_list": {"chat": {"input_per_million": 1, "fee": 2}, "embed": 3}}""",
				HttpStatus.BAD_REQUEST).get("error");
		JsonNode shown = exchange("GET", "/admin/api/tenants/" + tenant + "/pricing", null, HttpStatus.OK);

		assertThat(set.get("markup_percent").asString()).isEqualTo("20");
		assertThat(shown).isEqualTo(set);
		assertThat(this.live.current().tenants().get(tenant).markupPercent()).isEqualByComparingTo("20");
		assertThat(refused.get("code").asString()).isEqualTo("invalid_pricing");
		assertThat(refused.get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"markup_percent: at most 1000",
				"price_list.chat.fee: unknown field (use input_per_million, output_per_million, "
						+ "cached_input_per_million, per_request_fee)",
				"price_list.chat.output_per_million: required",
				"price_list.embed: must be an object with input_per_million, output_per_million, "
						+ "cached_input_per_million, per_request_fee");
		JsonNode tooFine = exchange("PUT", "/admin/api/tenants/" + tenant + "/pricing",
				"{\"markup_percent\": 12.34567}", HttpStatus.BAD_REQUEST).get("error");
		assertThat(tooFine.get("problems").get(0).asString()).isEqualTo("markup_percent: at most 4 decimal places");
		assertThat(exchange("GET", "/admin/api/tenants/" + tenant + "/pricing", null, HttpStatus.OK)).isEqualTo(set);
		exchange("PUT", "/admin/api/tenants/ten_nope/pricing", "{\"markup_percent\": 5}", HttpStatus.NOT_FOUND);
	}

	@Test
	void closedMonthIsServedInEveryFormatAndReconcilesWithTheLedger() throws Exception {
		String tenant = createTenant();
		record(tenant, "req-1", Instant.parse("2026-03-02T10:00:00Z"), 1_000_000, 1_000_000);
		record(tenant, "req-2", Instant.parse("2026-03-31T23:59:59Z"), 2_000_000, 0);
		this.ledger.flush().block(WAIT);

		JsonNode invoice = exchange("POST", "/admin/api/invoices",
				"{\"tenant\": \"" + tenant + "\", \"period\": \"2026-03\"}", HttpStatus.CREATED);
		String number = invoice.get("number").asString();
		JsonNode again = exchange("POST", "/admin/api/invoices",
				"{\"tenant\": \"" + tenant + "\", \"period\": \"2026-03\"}", HttpStatus.CONFLICT).get("error");

		assertThat(number).isEqualTo("INV-2026-000001");
		assertThat(invoice.get("total").asString()).isEqualTo("1.05");
		assertThat(invoice.get("amount_due").asString()).isEqualTo("1.05");
		assertThat(invoice.get("lines").get(0).get("requests").asLong()).isEqualTo(2);
		assertThat(invoice.get("lines").get(0).get("list_prices").get("input_per_million").asString())
			.isEqualTo("0.15");
		assertThat(again.get("code").asString()).isEqualTo("period_closed");
		assertThat(exchange("GET", "/admin/api/invoices/" + number, null, HttpStatus.OK)).isEqualTo(invoice);
		assertThat(exchange("GET", "/admin/api/invoices?tenant=" + tenant, null, HttpStatus.OK).get("data"))
			.containsExactly(invoice);
		JsonNode reconciliation = exchange("GET", "/admin/api/invoices/" + number + "/reconciliation", null,
				HttpStatus.OK);
		assertThat(reconciliation.get("matches").asBoolean()).isTrue();
		assertThat(reconciliation.get("ledger_sum").asString()).isEqualTo("1.05");
		assertThat(reconciliation.get("ledger_records").asLong()).isEqualTo(2);

		byte[] pdf = raw(number, "application/pdf", MediaType.APPLICATION_PDF);
		try (PDDocument document = Loader.loadPDF(pdf)) {
			assertThat(new PDFTextStripper().getText(document)).contains(number, "Total: 1.05",
					"Amount due: USD 1.05");
		}
		String html = new String(raw(number, "text/html", MediaType.TEXT_HTML), StandardCharsets.UTF_8);
		assertThat(html).contains("<h1>Invoice " + number + "</h1>", "1.05");
		String csv = new String(this.client.get()
			.uri("/admin/api/invoices/" + number + "?format=csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBodyContent(), StandardCharsets.UTF_8);
		List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
			.parse(new StringReader(csv)).getRecords();
		assertThat(rows.get(rows.size() - 2).get("Kind")).isEqualTo("total");
		assertThat(rows.get(rows.size() - 2).get("Amount")).isEqualTo("1.05");
	}

	@Test
	void malformedInvoiceRequestsAreRefusedPrecisely() {
		String tenant = createTenant();

		JsonNode malformed = exchange("POST", "/admin/api/invoices", "{\"period\": \"March\", \"month\": 3}",
				HttpStatus.BAD_REQUEST).get("error");
		JsonNode notEnded = exchange("POST", "/admin/api/invoices",
				"{\"tenant\": \"" + tenant + "\", \"period\": \"2026-06\"}", HttpStatus.BAD_REQUEST).get("error");
		JsonNode noTenantParam = exchange("GET", "/admin/api/invoices", null, HttpStatus.BAD_REQUEST).get("error");
		JsonNode badFormat = exchange("GET", "/admin/api/invoices/INV-2026-000001?format=xml", null,
				HttpStatus.BAD_REQUEST).get("error");

		assertThat(malformed.get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"month: unknown field (use tenant, period)", "tenant: required, the id of the tenant to invoice",
				"period: 'March' is not a month such as \"2026-03\"");
		assertThat(notEnded.get("param").asString()).isEqualTo("period");
		assertThat(notEnded.get("message").asString()).contains("has not ended yet");
		assertThat(noTenantParam.get("param").asString()).isEqualTo("tenant");
		assertThat(badFormat.get("param").asString()).isEqualTo("format");
		exchange("POST", "/admin/api/invoices", "{\"tenant\": \"ten_nope\", \"period\": \"2026-03\"}",
				HttpStatus.NOT_FOUND);
		exchange("GET", "/admin/api/invoices/INV-2026-999999", null, HttpStatus.NOT_FOUND);
		this.client.get()
			.uri("/admin/api/invoices/INV-2026-000001")
			.accept(MediaType.IMAGE_PNG)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_ACCEPTABLE);
	}

	private void record(String tenant, String requestId, Instant at, long input, long output) {
		TokenUsage usage = TokenUsage.exact(input, 0, output);
		var priced = this.live.price("openai-east", "gpt-4o-mini", tenant, "chat", usage, true, at, CONFIGURED);
		this.ledger.append(new UsageRecord(requestId, 1, tenant, "key_1", "chat", "openai-east", "gpt-4o-mini", usage,
				priced.providerCost(), priced.customerPrice(), UsageStatus.SUCCESS, 50L, 100L, at,
				priced.priceVersion()));
	}

	private String createTenant() {
		return exchange("POST", "/admin/api/tenants", "{\"name\": \"Acme\"}", HttpStatus.CREATED).get("id").asString();
	}

	private byte[] raw(String number, String accept, MediaType expected) {
		return this.client.get()
			.uri("/admin/api/invoices/" + number)
			.header(HttpHeaders.ACCEPT, accept)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(expected)
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
	}

	private JsonNode exchange(String method, String path, String body, HttpStatus status) {
		WebTestClient.RequestBodySpec request = this.client.method(HttpMethod.valueOf(method)).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		byte[] bytes = request.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		return JSON.readTree(bytes);
	}

	/** The billing routes do not touch rate limits. */
	private static final class NoLimits implements RateLimitAdmin {

		@Override
		public Map<String, Map<String, Limit>> limits() {
			return Map.of();
		}

		@Override
		public void replace(Map<String, Map<String, Limit>> limits) {
		}

	}

}
