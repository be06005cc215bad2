package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.gateway.budget.SpendStore;
import io.fulcrum.gateway.metering.TokenCounter;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ModelProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets and the usage API on the running gateway (embedded storage, counters in process). Every test works on
 * tenants of its own. Spend is compared in nano-dollars, the counters' unit.
 */
class BudgetsTest extends RunningGatewayTest {

	@Autowired
	BudgetBook book;

	@Autowired
	SpendStore spend;

	@Autowired
	UsageLedger ledger;

	@Autowired
	MeterRegistry meters;

	@Autowired
	UsageReport report;

	@Test
	void aHardBudgetWithoutRoomForTheRequestsMaximumCostRefusesWith402NamingIt() {
		IssuedKey key = issueKey();
		String tenant = key.key().tenantId();
		String body = chat("primary-only", 10);
		long reservation = reservation(body, "1.00", "2.00", 10);
		putBudget("tenants", tenant, usd(reservation - 1), "day", "hard", "0.8");

		Answer refused = post("/v1/chat/completions", key.secret(), body);

		assertThat(refused.status()).isEqualTo(402);
		JsonNode error = refused.json().get("error");
		assertThat(error.get("type").asString()).isEqualTo("insufficient_quota");
		assertThat(error.get("code").asString()).isEqualTo("budget_exceeded");
		assertThat(error.get("message").asString()).startsWith("The tenant " + tenant + " daily budget of "
				+ usd(reservation - 1) + " USD for " + LocalDate.now(ZoneOffset.UTC) + " has no room");
		assertThat(refused.header("Retry-After")).isNotNull();
		assertThat(this.simulator.control().requests("primary-model")).isZero();

		// With room for exactly one reservation, the request goes through; a key budget refuses in its own name.
		putBudget("tenants", tenant, usd(reservation), "day", "hard", "0.8");
		assertThat(post("/v1/chat/completions", key.secret(), body).status()).isEqualTo(200);
		putBudget("tenants", tenant, "1", "day", "hard", "0.8");
		putBudget("keys", key.key().id(), "0.000000001", "month", "hard", "1");
		Answer byKey = post("/v1/chat/completions", key.secret(), body);
		assertThat(byKey.status()).isEqualTo(402);
		assertThat(byKey.json().at("/error/message").asString())
			.startsWith("The key " + key.key().id() + " monthly budget of 0.000000001 USD for "
					+ LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7));
	}

	@Test
	void aTenantsMarkupIsInsideItsReservation() {
		IssuedKey key = issueKey();
		String tenant = key.key().tenantId();
		String body = chat("primary-only", 10);
		long atList = reservation(body, "1.00", "2.00", 10);
		Answer markup = send(HttpMethod.PUT, "/admin/api/tenants/" + tenant + "/pricing", ADMIN_TOKEN,
				"{\"markup_percent\":100}");
		assertThat(markup.status()).as(markup.text()).isEqualTo(200);
		// Room for the request at list price but not at twice it, which is what the tenant would be charged.
		putBudget("tenants", tenant, usd(atList * 3 / 2), "day", "hard", "0.8");

		assertThat(post("/v1/chat/completions", key.secret(), body).status()).isEqualTo(402);

		putBudget("tenants", tenant, usd(atList * 2), "day", "hard", "0.8");
		Answer served = post("/v1/chat/completions", key.secret(), body);
		assertThat(served.status()).isEqualTo(200);
		UsageRecord record = usage(served.header("x-request-id")).get(0);
		assertThat(record.customerPrice()).isEqualByComparingTo(record.providerCost().multiply(BigDecimal.valueOf(2)));
	}

	@Test
	void aSoftBudgetLetsRequestsThroughAlertsOnceAndSendsThemToCheaperRoutes() {
		IssuedKey key = issueKey();
		String tenant = key.key().tenantId();
		putBudget("keys", key.key().id(), "0.000001", "day", "soft", "0.5");
		double alertsBefore = alerts("key");
		String body = chat("chat-budget", 10);

		// Nothing spent yet: the latency-first policy takes the fast, dear deployment.
		Answer first = post("/v1/chat/completions", key.secret(), body);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("x-fulcrum-deployment")).isEqualTo("budget-dear");
		String counter = "fulcrum:budget:{" + tenant + "}:k:" + key.key().id() + ":" + today(BudgetPeriod.DAY);
		await().atMost(Duration.ofSeconds(10)).until(() -> used(counter) > 1_000);

		// Past the limit: soft, so allowed, and under budget pressure the cheap deployment wins.
		for (int i = 0; i < 3; i++) {
			Answer pressed = post("/v1/chat/completions", key.secret(), body);
			assertThat(pressed.status()).isEqualTo(200);
			assertThat(pressed.header("x-fulcrum-deployment")).isEqualTo("budget-cheap");
		}
		assertThat(alerts("key")).as("one alert per budget and period").isEqualTo(alertsBefore + 1);
	}

	@Test
	void aFallbackIsChargedOnceAndAFailedRequestReleasesItsWholeReservation() {
		IssuedKey key = issueKey();
		String tenant = key.key().tenantId();
		String body = chat("chat-default", 10);
		// Reserved at the dearer deployment of the alias (backup), whichever serves.
		long reservation = reservation(body, "3.00", "6.00", 10);
		putBudget("tenants", tenant, usd(3 * reservation), "month", "hard", "1");
		String counter = "fulcrum:budget:{" + tenant + "}:t:" + today(BudgetPeriod.MONTH);
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withErrorRate(1.0));

		Answer served = post("/v1/chat/completions", key.secret(), body);
		assertThat(served.status()).isEqualTo(200);
		assertThat(served.header("x-fulcrum-deployment")).isEqualTo("backup");
		List<UsageRecord> records = usage(served.header("x-request-id"));
		assertThat(records).extracting(UsageRecord::status)
			.containsExactly(UsageStatus.FAILED_ATTEMPT, UsageStatus.FAILED_ATTEMPT, UsageStatus.SUCCESS);
		long charged = nanos(records.stream().map(UsageRecord::customerPrice).reduce(BigDecimal.ZERO, BigDecimal::add));
		assertThat(charged).isPositive().isLessThanOrEqualTo(reservation);
		await().atMost(Duration.ofSeconds(10)).until(() -> used(counter) == charged);

		this.simulator.control().setProfile("backup-model", ModelProfile.DEFAULT.withErrorRate(1.0));
		Answer failed = post("/v1/chat/completions", key.secret(), body);
		assertThat(failed.status()).isGreaterThanOrEqualTo(500);
		// Released: the counter is back to what was charged, not charged plus a held reservation.
		await().atMost(Duration.ofSeconds(10)).until(() -> used(counter) == charged);
		assertThat(nanos(spentInLedger(tenant))).isEqualTo(charged);
	}

	@Test
	void theUsageApiShowsAKeyItsOwnTenantsUsageAndNeverAnothers() {
		IssuedKey mine = issueKey();
		IssuedKey theirs = issueKey();
		for (int i = 0; i < 2; i++) {
			assertThat(post("/v1/chat/completions", mine.secret(), chat("primary-only", 10)).status()).isEqualTo(200);
		}
		assertThat(post("/v1/chat/completions", theirs.secret(), chat("chat-default", 10)).status()).isEqualTo(200);
		this.ledger.flush().block(Duration.ofSeconds(10));
		String today = LocalDate.now(ZoneOffset.UTC).toString();

		JsonNode byKey = get("/v1/usage?start=" + today + "&group_by=key", mine.secret()).json();
		assertThat(byKey.get("object").asString()).isEqualTo("list");
		assertThat(byKey.get("data")).hasSize(1);
		assertThat(byKey.at("/data/0/key").asString()).isEqualTo(mine.key().id());
		assertThat(byKey.at("/data/0/requests").asLong()).isEqualTo(2);
		assertThat(byKey.at("/data/0/input_tokens").asLong()).isPositive();
		assertThat(byKey.at("/total/cost_usd").decimalValue())
			.isEqualByComparingTo(spentInLedger(mine.key().tenantId()));

		JsonNode byModel = get("/v1/usage?start=" + today + "&group_by=model", theirs.secret()).json();
		assertThat(byModel.get("data")).hasSize(1);
		assertThat(byModel.at("/data/0/model").asString()).isEqualTo("chat-default");
		assertThat(byModel.at("/data/0/requests").asLong()).isEqualTo(1);

		JsonNode byDay = get("/v1/usage?start=" + today + "&end=" + LocalDate.parse(today).plusDays(1),
				mine.secret()).json();
		assertThat(byDay.get("group_by").asString()).isEqualTo("day");
		assertThat(byDay.get("data")).hasSize(1);
		assertThat(byDay.at("/data/0/day").asString()).isEqualTo(today);
	}

	@Test
	void theUsageApiRefusesMalformedQueriesNamingTheParameter() {
		IssuedKey key = issueKey();
		assertError(get("/v1/usage", key.secret()), 400, "start", "missing_parameter");
		assertError(get("/v1/usage?start=2026-13-01", key.secret()), 400, "start", "invalid_value");
		assertError(get("/v1/usage?start=2026-11-02&end=2026-11-01", key.secret()), 400, "end", "invalid_value");
		assertError(get("/v1/usage?start=2025-01-01&end=2026-11-01", key.secret()), 400, "end", "invalid_value");
		assertError(get("/v1/usage?start=2026-11-01&group_by=week", key.secret()), 400, "group_by", "invalid_value");
		assertError(get("/v1/usage?start=2026-11-01&tenant=ten_other", key.secret()), 400, "tenant",
				"invalid_value");
		assertThat(get("/v1/usage?start=2026-11-01", null).status()).isEqualTo(401);
		assertThat(send(HttpMethod.POST, "/v1/usage?start=2026-11-01", key.secret(), "{}").status()).isEqualTo(405);
	}

	private static void assertError(Answer answer, int status, String param, String code) {
		assertThat(answer.status()).as(answer.text()).isEqualTo(status);
		JsonNode error = answer.json().get("error");
		assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.get("param").asString()).isEqualTo(param);
		assertThat(error.get("code").asString()).isEqualTo(code);
		assertThat(error.get("message").asString()).contains(param);
	}

	/** Sets a budget through the admin API and waits until this gateway enforces it. */
	private void putBudget(String scope, String id, String amount, String period, String enforcement,
			String alert) {
		Answer answer = send(HttpMethod.PUT, "/admin/api/" + scope + "/" + id + "/budget", ADMIN_TOKEN,
				"{\"amount_usd\":\"" + amount + "\",\"period\":\"" + period + "\",\"enforcement\":\"" + enforcement
						+ "\",\"alert_threshold\":" + alert + "}");
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			var budget = scope.equals("tenants") ? this.book.tenant(id) : this.book.key(id);
			return budget != null && budget.amountUsd().compareTo(new BigDecimal(amount)) == 0;
		});
	}

	/** A counter's spend plus reservations, read by reserving nothing. */
	private long used(String counter) {
		SpendStore.Counter probe = new SpendStore.Counter(counter, Long.MAX_VALUE, false, Long.MAX_VALUE);
		String hold = "probe-" + UUID.randomUUID();
		SpendStore.Reservation reservation = this.spend.reserve(List.of(probe), hold, 0, 1000)
			.block(Duration.ofSeconds(5));
		this.spend.settle(List.of(probe), hold, 0).block(Duration.ofSeconds(5));
		return reservation.used().length == 0 ? -1 : reservation.used()[0];
	}

	/** What the ledger charged the tenant this month: the sum budgets are seeded from. */
	private BigDecimal spentInLedger(String tenant) {
		this.ledger.flush().block(Duration.ofSeconds(10));
		BudgetPeriod.Window month = BudgetPeriod.MONTH.window(Instant.now());
		return this.report.spent(tenant, null, month.start(), month.end()).block(Duration.ofSeconds(10));
	}

	private List<UsageRecord> usage(String requestId) {
		this.ledger.flush().block(Duration.ofSeconds(10));
		return this.ledger.findByRequestId(requestId).collectList().block(Duration.ofSeconds(10));
	}

	private double alerts(String scope) {
		Counter counter = this.meters.find("fulcrum.budget.alerts").tag("scope", scope).counter();
		return counter == null ? 0 : counter.count();
	}

	private static String today(BudgetPeriod period) {
		return period.window(Instant.now()).id();
	}

	/** The reservation the gateway makes for {@code body}: Fulcrum's prompt count and max_tokens at list price. */
	static long reservation(String body, String inputPerMillion, String outputPerMillion, long maxTokens) {
		int prompt = new TokenCounter().countChatPrompt(Json.parse(body));
		BigDecimal usd = new BigDecimal(inputPerMillion).multiply(BigDecimal.valueOf(prompt))
			.add(new BigDecimal(outputPerMillion).multiply(BigDecimal.valueOf(maxTokens)))
			.movePointLeft(6);
		return nanos(usd);
	}

	static long nanos(BigDecimal usd) {
		return usd.setScale(9, java.math.RoundingMode.CEILING).unscaledValue().longValueExact();
	}

	static String usd(long nanos) {
		return BigDecimal.valueOf(nanos, 9).toPlainString();
	}

	static String chat(String model, int maxTokens) {
		return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
	}

}
