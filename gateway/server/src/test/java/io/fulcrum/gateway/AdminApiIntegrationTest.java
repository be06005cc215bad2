package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API as mounted in the running gateway, and its effect on the gateway's own key checks. */
class AdminApiIntegrationTest extends RunningGatewayTest {

	@Autowired
	DeploymentCatalog catalog;

	@Autowired
	UsageLedger ledger;

	@Test
	void theAdminApiNeedsTheAdminToken() {
		Answer none = send(HttpMethod.GET, "/admin/api/tenants", null, null);
		Answer wrong = send(HttpMethod.GET, "/admin/api/tenants", "not-the-admin-token", null);
		Answer appKey = send(HttpMethod.GET, "/admin/api/tenants", KEY, null);

		for (Answer answer : List.of(none, wrong, appKey)) {
			assertThat(answer.status()).as(answer.text()).isEqualTo(401);
			assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
			JsonNode error = answer.json().path("error");
			assertThat(error.path("type").asString()).isEqualTo("authentication_error");
			assertThat(error.path("code").asString()).isEqualTo("invalid_admin_token");
		}
	}

	@Test
	void unknownAdminRoutesAreA404OnlyAfterAuthentication() {
		assertThat(send(HttpMethod.GET, "/admin/api/nothing", null, null).status()).isEqualTo(401);

		Answer answer = send(HttpMethod.GET, "/admin/api/nothing", ADMIN_TOKEN, null);

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.json().path("error").path("type").asString()).isEqualTo("not_found_error");
	}

	@Test
	void aKeyIssuedThroughTheAdminApiWorksUntilItIsRevoked() {
		Answer tenant = admin(HttpMethod.POST, "/admin/api/tenants", "{\"name\":\"acme-admin-it\"}");
		assertThat(tenant.status()).as(tenant.text()).isEqualTo(201);
		String tenantId = tenant.json().path("id").asString();
		assertThat(tenantId).startsWith("ten_");
		assertThat(tenant.json().path("name").asString()).isEqualTo("acme-admin-it");

		Answer issued = admin(HttpMethod.POST, "/admin/api/tenants/" + tenantId + "/keys",
				"{\"name\":\"ci\",\"models\":[\"chat-default\"]}");
		assertThat(issued.status()).as(issued.text()).isEqualTo(201);
		String secret = issued.json().path("secret").asString();
		String keyId = issued.json().path("id").asString();
		assertThat(secret).startsWith("fk-");
		assertThat(secret.substring(3, 11)).isEqualTo(issued.json().path("prefix").asString());

		Answer chat = post("/v1/chat/completions", secret, chat("chat-default"));
		assertThat(chat.status()).as(chat.text()).isEqualTo(200);
		assertThat(chat.json().path("choices").get(0).path("message").path("content").asString()).isNotEmpty();
		assertThat(post("/v1/chat/completions", secret, chat("claude-only")).status()).isEqualTo(403);

		Answer keys = admin(HttpMethod.GET, "/admin/api/tenants/" + tenantId + "/keys", null);
		assertThat(keys.status()).isEqualTo(200);
		JsonNode listed = keys.json().path("data");
		assertThat(listed.size()).isEqualTo(1);
		assertThat(listed.get(0).path("id").asString()).isEqualTo(keyId);
		assertThat(listed.get(0).path("active").asBoolean()).isTrue();
		assertThat(listed.get(0).has("secret")).isFalse();
		assertThat(keys.text()).doesNotContain(secret).doesNotContain(secret.substring(11));

		// Used just now, so the gateway's key cache holds it: only the admin change can make it forget.
		assertThat(post("/v1/chat/completions", secret, chat("chat-default")).status()).isEqualTo(200);
		Answer revoked = admin(HttpMethod.DELETE, "/admin/api/keys/" + keyId, null);
		assertThat(revoked.status()).isEqualTo(204);

		Answer refused = post("/v1/chat/completions", secret, chat("chat-default"));
		assertThat(refused.status()).as(refused.text()).isEqualTo(401);
		assertThat(refused.json().path("error").path("code").asString()).isEqualTo("invalid_api_key");
		JsonNode after = admin(HttpMethod.GET, "/admin/api/tenants/" + tenantId + "/keys", null).json().path("data");
		assertThat(after.get(0).path("active").asBoolean()).isFalse();
	}

	@Test
	void revokingATenantRevokesItsKeysAtOnce() {
		String tenantId = admin(HttpMethod.POST, "/admin/api/tenants", "{\"name\":\"short-lived\"}").json()
			.path("id")
			.asString();
		String secret = admin(HttpMethod.POST, "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"k\"}").json()
			.path("secret")
			.asString();
		assertThat(post("/v1/chat/completions", secret, chat("chat-default")).status()).isEqualTo(200);

		assertThat(admin(HttpMethod.DELETE, "/admin/api/tenants/" + tenantId, null).status()).isEqualTo(204);

		assertThat(post("/v1/chat/completions", secret, chat("chat-default")).status()).isEqualTo(401);
	}

	@Test
	void tenantMarkupSetThroughTheAdminApiPricesItsNextRequests() {
		String tenantId = admin(HttpMethod.POST, "/admin/api/tenants", "{\"name\":\"marked-up\"}").json()
			.path("id")
			.asString();
		String secret = admin(HttpMethod.POST, "/admin/api/tenants/" + tenantId + "/keys", "{\"name\":\"k\"}").json()
			.path("secret")
			.asString();
		Answer pricing = admin(HttpMethod.PUT, "/admin/api/tenants/" + tenantId + "/pricing",
				"{\"markup_percent\": 25}");
		assertThat(pricing.status()).as(pricing.text()).isEqualTo(200);

		Answer chat = post("/v1/chat/completions", secret, chat("primary-only"));
		assertThat(chat.status()).as(chat.text()).isEqualTo(200);
		this.ledger.flush().block(Duration.ofSeconds(30));

		UsageRecord record = this.ledger.findByRequestId(chat.header("x-request-id")).blockFirst(Duration.ofSeconds(30));
		assertThat(record.priceVersion()).isEqualTo(1);
		assertThat(record.providerCost()).isPositive();
		assertThat(record.customerPrice()).isEqualByComparingTo(record.providerCost().multiply(new BigDecimal("1.25")));
		Answer prices = admin(HttpMethod.GET, "/admin/api/prices", null);
		assertThat(prices.status()).isEqualTo(200);
		assertThat(prices.json().path("data").valueStream().map(e -> e.path("deployment").asString()))
			.contains("primary", "backup", "claude", "embedder");
	}

	@Test
	void aTenantWithoutANameIsA400NamingTheField() {
		Answer answer = admin(HttpMethod.POST, "/admin/api/tenants", "{\"name\":\"  \"}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").path("param").asString()).isEqualTo("name");
	}

	@Test
	void theDeploymentsListShowsTheConfigurationWithoutSecrets() {
		Answer answer = admin(HttpMethod.GET, "/admin/api/deployments", null);

		assertThat(answer.status()).isEqualTo(200);
		JsonNode data = answer.json().path("data");
		List<String> ids = new ArrayList<>();
		data.forEach(d -> ids.add(d.path("id").asString()));
		assertThat(ids).contains("primary", "backup", "claude", "embedder")
			.containsExactlyInAnyOrderElementsOf(this.catalog.deployments().stream().map(Deployment::id).toList());
		JsonNode primary = deployment(data, "primary");
		assertThat(primary.path("provider").asString()).isEqualTo("sim-openai");
		assertThat(primary.path("provider_type").asString()).isEqualTo("openai");
		assertThat(primary.path("model").asString()).isEqualTo("primary-model");
		assertThat(primary.path("price_per_million").path("input").decimalValue()).isEqualByComparingTo("1.00");
		assertThat(primary.path("price_per_million").path("output").decimalValue()).isEqualByComparingTo("2.00");
		List<String> aliases = new ArrayList<>();
		primary.path("models").forEach(m -> aliases.add(m.asString()));
		assertThat(aliases).containsExactlyInAnyOrder("chat-default", "primary-only");
		assertThat(deployment(data, "claude").path("provider_type").asString()).isEqualTo("anthropic");
		data.forEach(d -> assertThat(d.propertyNames()).noneMatch(name -> name.contains("key") || name.contains("secret")
				|| name.contains("token") || name.contains("header")));
		assertThat(answer.text()).doesNotContain("fk-").doesNotContain("sk-");
	}

	private static JsonNode deployment(JsonNode data, String id) {
		for (JsonNode d : data) {
			if (d.path("id").asString().equals(id)) {
				return d;
			}
		}
		throw new AssertionError("no deployment " + id + " in " + data);
	}

	private Answer admin(HttpMethod method, String path, @Nullable String body) {
		return send(method, path, ADMIN_TOKEN, body);
	}

}
