package io.fulcrum.admin.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.billing.account.ApiKeys;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;
import io.fulcrum.billing.r2dbc.R2dbcAccountStore;
import io.fulcrum.billing.r2dbc.R2dbcBudgetStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageReport;
import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.Priority;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.RoutingTable;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.telemetry.TelemetrySettings;
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

class AdminApiTests {

	private static final String TOKEN = "admin-token-for-tests";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AtomicInteger changes = new AtomicInteger();

	private final Router router = new Router(TelemetrySettings.DEFAULTS, () -> 0.5);

	/** Holds what the API sets, as the gateway's limiter would. */
	private final RateLimitAdmin limits = new RateLimitAdmin() {

		private Map<String, Map<String, Limit>> current = Map.of("keys",
				Map.of("default", new Limit(600, 0, 0)));

		@Override
		public Map<String, Map<String, Limit>> limits() {
			return this.current;
		}

		@Override
		public void replace(Map<String, Map<String, Limit>> limits) {
			this.current = limits;
		}

	};

	private BillingDatabase database;

	private R2dbcAccountStore store;

	private WebTestClient client;

	/** Sends no Authorization header unless told to. */
	private WebTestClient anonymous;

	@BeforeEach
	void start() {
		this.database = BillingDatabase.open(BillingDatabaseSettings.inMemory("admin-" + UUID.randomUUID()));
		this.store = new R2dbcAccountStore(this.database.client());
		List<Map<String, Object>> deployments = List.of(Map.of("id", "openai-east", "provider", "openai"));
		this.router.configure(Map.of("chat", List.of(new RoutingTable.Ranked(new DeploymentProfile("openai-east",
				"openai", false, new TokenPrices(0.15, 0.6, 0.075, 0), LatencyPrior.UNKNOWN, 0), 0))),
				PolicyDocument.EMPTY);
		RouterFunction<ServerResponse> routes = AdminApi.routes(this.store, TOKEN, () -> deployments,
				this.changes::incrementAndGet, this.router, this.limits, new R2dbcBudgetStore(this.database.client()),
				new R2dbcUsageReport(this.database.client()), this.changes::incrementAndGet);
		this.client = WebTestClient.bindToRouterFunction(routes)
			.configureClient()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.build();
		this.anonymous = WebTestClient.bindToRouterFunction(routes).build();
	}

	@AfterEach
	void stop() {
		this.database.close();
	}

	@Test
	void createdTenantIsAnsweredInSnakeCase() {
		JsonNode tenant = createTenant("Acme");

		assertThat(tenant.get("id").asString()).startsWith("ten_");
		assertThat(tenant.get("name").asString()).isEqualTo("Acme");
		assertThat(tenant.get("active").asBoolean()).isTrue();
		assertThat(tenant.get("created_at").asString()).isNotBlank();
		assertThat(tenant.propertyNames()).containsExactly("id", "name", "active", "created_at");
		assertThat(this.changes).hasValue(1);
	}

	@Test
	void tenantsAreListedAndShown() {
		JsonNode acme = createTenant("Acme");
		JsonNode other = createTenant("Other");

		JsonNode list = get("/admin/api/tenants", HttpStatus.OK);
		JsonNode shown = get("/admin/api/tenants/" + acme.get("id").asString(), HttpStatus.OK);

		assertThat(list.get("data").valueStream().map((t) -> t.get("id").asString()))
			.containsExactly(acme.get("id").asString(), other.get("id").asString());
		assertThat(shown).isEqualTo(acme);
	}

	@Test
	void unknownTenantIsNotFound() {
		assertError(get("/admin/api/tenants/ten_nope", HttpStatus.NOT_FOUND), "not_found_error", null);
		assertError(exchange("GET", "/admin/api/tenants/ten_nope/keys", null, HttpStatus.NOT_FOUND),
				"not_found_error", null);
		assertError(exchange("DELETE", "/admin/api/tenants/ten_nope", null, HttpStatus.NOT_FOUND),
				"not_found_error", null);
		assertError(exchange("POST", "/admin/api/tenants/ten_nope/keys", "{\"name\":\"ci\"}", HttpStatus.NOT_FOUND),
				"not_found_error", null);
		assertError(exchange("DELETE", "/admin/api/keys/key_nope", null, HttpStatus.NOT_FOUND), "not_found_error",
				null);
		assertThat(this.changes).hasValue(0);
	}

	@Test
	void issuedKeyShowsItsSecretOnceOnly() {
		String tenantId = createTenant("Acme").get("id").asString();

		JsonNode key = exchange("POST", "/admin/api/tenants/" + tenantId + "/keys",
				"{\"name\":\"ci\",\"models\":[\"chat-default\"]}", HttpStatus.CREATED);
		String secret = key.get("secret").asString();
		String listing = new String(
				this.client.get()
					.uri("/admin/api/tenants/" + tenantId + "/keys")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.returnResult()
					.getResponseBodyContent(),
				StandardCharsets.UTF_8);

		assertThat(key.propertyNames()).containsExactly("id", "tenant_id", "name", "prefix", "models", "active",
				"created_at", "secret");
		assertThat(ApiKeys.looksLikeKey(secret)).isTrue();
		assertThat(key.get("id").asString()).startsWith("key_");
		assertThat(key.get("tenant_id").asString()).isEqualTo(tenantId);
		assertThat(key.get("prefix").asString()).isEqualTo(secret.substring(3, 11));
		assertThat(key.get("models").valueStream().map(JsonNode::asString)).containsExactly("chat-default");
		assertThat(listing).doesNotContain(secret)
			.doesNotContain(ApiKeys.hash(secret))
			.doesNotContain("secret")
			.contains(key.get("id").asString());
		assertThat(this.store.findKeyByHash(ApiKeys.hash(secret)).block().allows("chat-default")).isTrue();
	}

	@Test
	void keyWithoutModelsAllowsEveryModel() {
		String tenantId = createTenant("Acme").get("id").asString();

		JsonNode key = exchange("POST", "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"ci\"}",
				HttpStatus.CREATED);

		assertThat(key.get("models").isEmpty()).isTrue();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(key.get("secret").asString())).block().allows("any"))
			.isTrue();
	}

	@Test
	void revokedKeyIsListedInactive() {
		String tenantId = createTenant("Acme").get("id").asString();
		String keyId = exchange("POST", "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"ci\"}",
				HttpStatus.CREATED)
			.get("id")
			.asString();

		this.client.delete().uri("/admin/api/keys/" + keyId).exchange().expectStatus().isNoContent();

		JsonNode keys = get("/admin/api/tenants/" + tenantId + "/keys", HttpStatus.OK);
		assertThat(keys.get("data").get(0).get("active").asBoolean()).isFalse();
		assertThat(this.changes).hasValue(3);
	}

	@Test
	void revokedTenantLosesItsKeysAndGetsNoNewOnes() {
		String tenantId = createTenant("Acme").get("id").asString();
		JsonNode key = exchange("POST", "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"ci\"}",
				HttpStatus.CREATED);

		this.client.delete().uri("/admin/api/tenants/" + tenantId).exchange().expectStatus().isNoContent();

		assertThat(get("/admin/api/tenants/" + tenantId, HttpStatus.OK).get("active").asBoolean()).isFalse();
		assertThat(this.store.findKeyByHash(ApiKeys.hash(key.get("secret").asString())).block().active()).isFalse();
		assertError(exchange("POST", "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"late\"}",
				HttpStatus.NOT_FOUND), "not_found_error", null);
		assertThat(this.changes).hasValue(3);
	}

	@Test
	void deploymentsAreListed() {
		JsonNode deployments = get("/admin/api/deployments", HttpStatus.OK);

		assertThat(deployments.get("data").get(0).get("id").asString()).isEqualTo("openai-east");
		assertThat(deployments.get("data").get(0).get("provider").asString()).isEqualTo("openai");
	}

	@Test
	void missingOrWrongTokenIsUnauthenticated() {
		for (String authorization : new String[] { null, "Bearer wrong", "Basic " + TOKEN, "Bearer ",
				"Bearer " + TOKEN + "x" }) {
			WebTestClient.ResponseSpec response = this.anonymous.get()
				.uri("/admin/api/tenants")
				.headers((headers) -> {
					if (authorization != null) {
						headers.set(HttpHeaders.AUTHORIZATION, authorization);
					}
				})
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			assertError(body(response), "authentication_error", null);
		}
	}

	@Test
	void changesNeedTheTokenToo() {
		this.anonymous.post()
			.uri("/admin/api/tenants")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"Sneaky\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized();

		assertThat(this.store.listTenants().collectList().block()).isEmpty();
		assertThat(this.changes).hasValue(0);
	}

	@Test
	void schemeIsCaseInsensitive() {
		this.anonymous.get()
			.uri("/admin/api/tenants")
			.header(HttpHeaders.AUTHORIZATION, "bearer " + TOKEN)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void missingOrBlankNameNamesTheField() {
		assertError(exchange("POST", "/admin/api/tenants", "{}", HttpStatus.BAD_REQUEST), "invalid_request_error",
				"name");
		assertError(exchange("POST", "/admin/api/tenants", "{\"name\":\"  \"}", HttpStatus.BAD_REQUEST),
				"invalid_request_error", "name");
		assertError(exchange("POST", "/admin/api/tenants", "{\"name\":42}", HttpStatus.BAD_REQUEST),
				"invalid_request_error", "name");
		String tenantId = createTenant("Acme").get("id").asString();
		assertError(exchange("POST", "/admin/api/tenants/" + tenantId + "/keys", "{\"models\":[]}",
				HttpStatus.BAD_REQUEST), "invalid_request_error", "name");
		assertThat(this.changes).hasValue(1);
	}

	@Test
	void malformedModelsNameTheField() {
		String tenantId = createTenant("Acme").get("id").asString();

		assertError(exchange("POST", "/admin/api/tenants/" + tenantId + "/keys",
				"{\"name\":\"ci\",\"models\":\"chat-default\"}", HttpStatus.BAD_REQUEST), "invalid_request_error",
				"models");
		assertError(exchange("POST", "/admin/api/tenants/" + tenantId + "/keys",
				"{\"name\":\"ci\",\"models\":[\"a,b\"]}", HttpStatus.BAD_REQUEST), "invalid_request_error",
				"models");
	}

	@Test
	void malformedJsonIsInvalidRequest() {
		for (String body : new String[] { "{\"name\":", "not json", "[1, 2]", "\"Acme\"" }) {
			JsonNode error = exchange("POST", "/admin/api/tenants", body, HttpStatus.BAD_REQUEST);
			assertError(error, "invalid_request_error", null);
		}
	}

	@Test
	void emptyBodyIsInvalidRequest() {
		JsonNode error = body(this.client.post().uri("/admin/api/tenants").exchange().expectStatus().isBadRequest());

		assertError(error, "invalid_request_error", null);
	}

	@Test
	void unknownRouteIsJsonNotFound() {
		assertError(get("/admin/api/nothing-here", HttpStatus.NOT_FOUND), "not_found_error", null);
	}

	@Test
	void unknownRouteNeedsTheTokenFirst() {
		this.anonymous.get().uri("/admin/api/nothing-here").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void pathsOutsideTheApiAreLeftToOtherRouters() {
		this.client.get()
			.uri("/v1/models")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.isEmpty();
	}

	@Test
	void storeFailureIsAnsweredWithoutStackTrace() {
		this.database.close();

		WebTestClient.ResponseSpec response = this.client.get()
			.uri("/admin/api/tenants")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		JsonNode error = body(response);

		assertError(error, "api_error", null);
		assertThat(error.toString()).doesNotContain("Exception").doesNotContain("at io.");
	}

	private JsonNode createTenant(String name) {
		return exchange("POST", "/admin/api/tenants", "{\"name\":\"" + name + "\"}", HttpStatus.CREATED);
	}

	@Test
	void appliesAValidRoutingPolicyWithoutARestart() {
		String yaml = "chat:\n  slo: { interactive: { ttft: 800ms, target: 0.99 } }\n";
		JsonNode applied = yaml("PUT", "/admin/api/policies", yaml, HttpStatus.OK);
		assertThat(applied.get("aliases").get("chat").get("objective").asString()).isEqualTo("cost-under-slo");
		assertThat(this.router.slo("chat", "any", "key", Priority.INTERACTIVE).ttftNanos()).isEqualTo(800_000_000L);
		assertThat(get("/admin/api/policies", HttpStatus.OK).get("yaml").asString()).isEqualTo(yaml);
	}

	@Test
	void refusesAnInvalidPolicyListingEveryProblemAndKeepsTheCurrentOne() {
		JsonNode refused = yaml("PUT", "/admin/api/policies",
				"chat:\n  objective: cheapest\n  candidates: [nope]\nunknown-alias: {}\n", HttpStatus.BAD_REQUEST);
		JsonNode error = refused.get("error");
		assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.get("code").asString()).isEqualTo("invalid_policy");
		assertThat(error.get("problems").valueStream().map(JsonNode::asString))
			.containsExactly("chat.objective: 'cheapest' is not an objective (cost-under-slo, latency-first, weighted)");
		// Fields are fine but the document does not fit the deployments: refused the same way.
		JsonNode misfit = yaml("POST", "/admin/api/policies/validate", "chat: { candidates: [nope] }\nother: {}\n",
				HttpStatus.BAD_REQUEST);
		assertThat(misfit.get("error").get("problems").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder(
				"other: no such model alias (known: chat)",
				"chat.candidates: 'nope' is not a deployment of this alias (known: openai-east)");
		assertThat(this.router.policies()).isEqualTo(PolicyDocument.EMPTY);
	}

	@Test
	void showsAndReplacesTheRateLimits() {
		JsonNode shown = get("/admin/api/limits", HttpStatus.OK);
		assertThat(shown.at("/keys/default/requests_per_minute").asLong()).isEqualTo(600);
		assertThat(shown.propertyNames()).containsExactly("keys", "tenants", "models", "deployments");
		JsonNode replaced = exchange("PUT", "/admin/api/limits",
				"{\"models\":{\"chat\":{\"tokens_per_minute\":100000,\"concurrent_requests\":5}}}", HttpStatus.OK);
		assertThat(replaced.at("/models/chat/tokens_per_minute").asLong()).isEqualTo(100000);
		assertThat(this.limits.limits().get("models").get("chat"))
			.isEqualTo(new RateLimitAdmin.Limit(0, 100000, 5));
		assertThat(this.limits.limits()).doesNotContainKey("keys");
	}

	@Test
	void refusesInvalidRateLimitsListingEveryProblem() {
		JsonNode refused = exchange("PUT", "/admin/api/limits",
				"{\"users\":{},\"keys\":{\"default\":{\"requests_per_minute\":-1,\"rpm\":5}}}",
				HttpStatus.BAD_REQUEST);
		assertThat(refused.at("/error/code").asString()).isEqualTo("invalid_limits");
		assertThat(refused.get("error").get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"users: unknown scope (use keys, tenants, models, deployments)",
				"keys.default.rpm: unknown field (use requests_per_minute, tokens_per_minute, concurrent_requests)",
				"keys.default.requests_per_minute: must be a whole number, 0 or more (0 = unlimited)");
		assertThat(this.limits.limits().get("keys").get("default").requestsPerMinute()).isEqualTo(600);
	}

	@Test
	void setsShowsListsAndRemovesATenantsAndAKeysBudget() {
		String tenant = createTenant("Acme").get("id").asString();
		String key = exchange("POST", "/admin/api/tenants/" + tenant + "/keys", "{\"name\":\"ci\"}", HttpStatus.CREATED)
			.get("id")
			.asString();
		JsonNode set = exchange("PUT", "/admin/api/tenants/" + tenant + "/budget",
				"{\"amount_usd\":\"50.00\",\"period\":\"month\"}", HttpStatus.OK);
		assertThat(set.get("amount_usd").asString()).isEqualTo("50.00");
		assertThat(set.get("enforcement").asString()).isEqualTo("hard");
		assertThat(set.get("alert_threshold").asString()).isEqualTo("0.8");
		exchange("PUT", "/admin/api/keys/" + key + "/budget",
				"{\"amount_usd\":0.1,\"period\":\"day\",\"enforcement\":\"soft\",\"alert_threshold\":0.5}",
				HttpStatus.OK);
		JsonNode shown = get("/admin/api/keys/" + key + "/budget", HttpStatus.OK);
		assertThat(shown.get("amount_usd").asString()).as("stored money shows cents").isEqualTo("0.10");
		assertThat(shown.get("enforcement").asString()).isEqualTo("soft");
		assertThat(shown.get("spent_usd").asString()).isEqualTo("0");
		assertThat(shown.get("period_end").asString()).endsWith("T00:00:00Z");
		assertThat(get("/admin/api/budgets", HttpStatus.OK).get("data")).hasSize(2);
		int changesBefore = this.changes.get();
		exchange("DELETE", "/admin/api/tenants/" + tenant + "/budget", null, HttpStatus.NO_CONTENT);
		assertThat(this.changes.get()).isEqualTo(changesBefore + 1);
		get("/admin/api/tenants/" + tenant + "/budget", HttpStatus.NOT_FOUND);
		exchange("DELETE", "/admin/api/tenants/" + tenant + "/budget", null, HttpStatus.NOT_FOUND);
	}

	@Test
	void refusesAMalformedBudgetListingEveryProblem() {
		String tenant = createTenant("Acme").get("id").asString();
		JsonNode refused = exchange("PUT", "/admin/api/tenants/" + tenant + "/budget",
				"{\"amount_usd\":-5,\"period\":\"week\",\"enforcement\":true,\"alert_threshold\":1.5,\"limit\":3}",
				HttpStatus.BAD_REQUEST);
		assertThat(refused.at("/error/type").asString()).isEqualTo("invalid_request_error");
		assertThat(refused.at("/error/code").asString()).isEqualTo("invalid_budget");
		assertThat(refused.get("error").get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"limit: unknown field (use amount_usd, period, enforcement, alert_threshold)",
				"period: must be day or month, not \"week\"", "enforcement: must be hard or soft, not true",
				"amount_usd: must be more than 0 and at most 1000000",
				"alert_threshold: must be a share of the budget, more than 0 and at most 1");
		JsonNode missing = exchange("PUT", "/admin/api/tenants/" + tenant + "/budget", "{\"amount_usd\":\"ten\"}",
				HttpStatus.BAD_REQUEST);
		assertThat(missing.get("error").get("problems").valueStream().map(JsonNode::asString)).containsExactly(
				"amount_usd: must be a decimal number or a string holding one, e.g. \"12.50\"",
				"period: required, day or month");
		JsonNode tooFine = exchange("PUT", "/admin/api/tenants/" + tenant + "/budget",
				"{\"amount_usd\":\"0.0000000001\",\"period\":\"day\"}", HttpStatus.BAD_REQUEST);
		assertThat(tooFine.get("error").get("problems").valueStream().map(JsonNode::asString))
			.containsExactly("amount_usd: at most 9 decimal places (budgets count nano-dollars)");
		get("/admin/api/tenants/" + tenant + "/budget", HttpStatus.NOT_FOUND);
	}

	@Test
	void aBudgetForATenantOrKeyThatDoesNotExistIsNotFound() {
		JsonNode tenant = exchange("PUT", "/admin/api/tenants/ten_nope/budget",
				"{\"amount_usd\":\"1\",\"period\":\"day\"}", HttpStatus.NOT_FOUND);
		assertThat(tenant.at("/error/message").asString()).isEqualTo("No tenant with id 'ten_nope'");
		JsonNode key = exchange("PUT", "/admin/api/keys/key_nope/budget", "{\"amount_usd\":\"1\",\"period\":\"day\"}",
				HttpStatus.NOT_FOUND);
		assertThat(key.at("/error/message").asString()).isEqualTo("No key with id 'key_nope'");
	}

	@Test
	void validatesAPolicyWithoutApplyingIt() {
		JsonNode valid = yaml("POST", "/admin/api/policies/validate", "chat: { exploration: 0 }", HttpStatus.OK);
		assertThat(valid.get("valid").asBoolean()).isTrue();
		assertThat(this.router.policies().aliases()).isEmpty();
	}

	private JsonNode yaml(String method, String path, String body, HttpStatus status) {
		return body(this.client.method(HttpMethod.valueOf(method))
			.uri(path)
			.contentType(MediaType.parseMediaType("application/yaml"))
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status));
	}

	private JsonNode get(String path, HttpStatus status) {
		return exchange("GET", path, null, status);
	}

	private JsonNode exchange(String method, String path, String body, HttpStatus status) {
		WebTestClient.RequestBodySpec request = this.client.method(HttpMethod.valueOf(method)).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		WebTestClient.ResponseSpec response = request.exchange().expectStatus().isEqualTo(status);
		if (status == HttpStatus.NO_CONTENT) {
			return JSON.nullNode();
		}
		return body(response);
	}

	private static JsonNode body(WebTestClient.ResponseSpec response) {
		byte[] bytes = response.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		return JSON.readTree(bytes);
	}

	private static void assertError(JsonNode body, String type, String param) {
		JsonNode error = body.get("error");
		assertThat(error).isNotNull();
		assertThat(error.propertyNames()).containsExactly("message", "type", "param", "code");
		assertThat(error.get("type").asString()).isEqualTo(type);
		assertThat(error.get("message").asString()).isNotBlank();
		if (param == null) {
			assertThat(error.get("param").isNull()).isTrue();
		}
		else {
			assertThat(error.get("param").asString()).isEqualTo(param);
		}
	}

}
