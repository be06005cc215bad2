package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.simulator.ModelProfile;
import io.fulcrum.simulator.ProviderSimulator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas sharing PostgreSQL (accounts, budgets, ledger) and Redis (budget counters), under 50
 * concurrent requests against a hard budget with room for about ten: together they never spend past the budget by
 * more than one reservation, Redis's settled spend equals the ledger's sum, and after the counter is lost (a Redis
 * flush) it is re-seeded from the ledger rather than starting again from zero.
 */
class BudgetsAcrossReplicasTest {

	private static final String SCHEMA = "budget_replicas_it";

	private static final String PREFIX = "fulcrum:budget-it-" + UUID.randomUUID() + ":";

	private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** What {@link #send} answers for a 503 {@code budget_unavailable}. */
	private static final int UNAVAILABLE = -503;

	@BeforeAll
	static void startTwoReplicas() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
				"");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
		String bootstrap = "fk-budgets-" + UUID.randomUUID().toString().replace("-", "");
		for (int i = 0; i < 2; i++) {
			replicas.add(new SpringApplicationBuilder(FulcrumGatewayApplication.class, OwnNettyResources.class)
				.profiles("it")
				.run("--server.port=0", "--fulcrum.storage.type=postgres", "--fulcrum.storage.postgres.host=127.0.0.1",
						"--fulcrum.storage.postgres.database=test", "--fulcrum.storage.postgres.user=postgres",
						"--fulcrum.storage.postgres.schema=" + SCHEMA, "--fulcrum.rate-limit.backend=redis",
						"--fulcrum.rate-limit.redis-uri=redis://127.0.0.1:6379", "--fulcrum.rate-limit.on-redis-failure=closed",
						"--fulcrum.budgets.redis-key-prefix=" + PREFIX, "--fulcrum.budgets.refresh-interval=200ms",
						"--fulcrum.server.bootstrap-api-key=" + bootstrap));
		}
	}

	@AfterAll
	static void stopReplicas() {
		replicas.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void fiftyConcurrentRequestsOnTwoReplicasNeverOverspendAHardBudgetBeyondOneReservation() {
		AccountStore accounts = replicas.get(0).getBean(AccountStore.class);
		Tenant tenant = accounts.createTenant("budget-race-" + UUID.randomUUID()).block(WAIT);
		IssuedKey key = accounts.createKey(tenant.id(), "race", Set.of(), null).block(WAIT);
		String body = BudgetsTest.chat("primary-only", 10);
		long reservation = BudgetsTest.reservation(body, "1.00", "2.00", 10);
		long limit = reservation * 10 + reservation / 2;
		List<WebClient> clients = replicas.stream()
			.map(context -> WebClient.create(
					"http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort()))
			.toList();
		for (ConfigurableApplicationContext replica : replicas) {
			// Slow enough that many requests hold reservations at once.
			replica.getBean(ProviderSimulator.class)
				.control()
				.setProfile("primary-model", ModelProfile.DEFAULT.withTtftMs(150));
		}
		Integer put = clients.get(0)
			.put()
			.uri("/admin/api/tenants/" + tenant.id() + "/budget")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGatewayTest.ADMIN_TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"amount_usd\":\"" + BudgetsTest.usd(limit) + "\",\"period\":\"month\"}")
			.exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(WAIT);
		assertThat(put).isEqualTo(200);
		// The other replica picks the budget up at its next refresh.
		await().atMost(WAIT)
			.until(() -> replicas.stream().allMatch(r -> r.getBean(BudgetBook.class).tenant(tenant.id()) != null));

		// Warm each replica's Redis connection and scripts on a budget of another tenant (a cold first call can
		// outlast the 250 ms store timeout, and this test fails closed).
		Tenant other = accounts.createTenant("budget-warm-" + UUID.randomUUID()).block(WAIT);
		IssuedKey warm = accounts.createKey(other.id(), "warm", Set.of(), null).block(WAIT);
		clients.get(0)
			.put()
			.uri("/admin/api/tenants/" + other.id() + "/budget")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGatewayTest.ADMIN_TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"amount_usd\":\"100\",\"period\":\"month\"}")
			.exchangeToMono(response -> response.releaseBody())
			.block(WAIT);
		await().atMost(WAIT)
			.until(() -> replicas.stream().allMatch(r -> r.getBean(BudgetBook.class).tenant(other.id()) != null));
		for (WebClient client : clients) {
			await().atMost(WAIT).until(() -> send(client, warm.secret(), body).block(WAIT) == 200);
		}

		AtomicInteger served = new AtomicInteger();
		List<Integer> others = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicInteger refused = new AtomicInteger();
		Flux.range(0, 50)
			.flatMap(i -> send(clients.get(i % 2), key.secret(), body).doOnNext(status -> {
				if (status == 200) {
					served.incrementAndGet();
				}
				else if (status == 402 || status == UNAVAILABLE) {
					// Failing closed, a store call that timed out on a loaded machine refuses too; it spends nothing.
					refused.incrementAndGet();
				}
				else {
					others.add(status);
				}
			}), 50)
			.blockLast(Duration.ofMinutes(2));

		String counter = PREFIX + "{" + tenant.id() + "}:t:" + BudgetPeriod.MONTH.window(Instant.now()).id();
		RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			// Settlement follows the responses; wait until no reservation is held.
			await().atMost(WAIT).until(() -> "0".equals(connection.sync().hget(counter, "r")));
			long settled = Long.parseLong(connection.sync().hget(counter, "s"));
			long ledger = BudgetsTest.nanos(ledgerSum(tenant.id()));
			System.out.printf("budget %d nano-USD, reservation %d: served %d, refused %d, spent %d%n", limit,
					reservation, served.get(), refused.get(), settled);
			assertThat(others).as("neither served nor refused by the budget").isEmpty();
			assertThat(served.get() + refused.get()).isEqualTo(50);
			assertThat(served.get()).as("at least as many as the budget holds reservations").isGreaterThanOrEqualTo(10);
			assertThat(refused.get()).as("the budget was binding").isPositive();
			assertThat(ledger).as("overspend at most one reservation").isLessThanOrEqualTo(limit + reservation);
			assertThat(settled).as("Redis's settled spend is the ledger's sum").isEqualTo(ledger);

			// A flushed counter is re-seeded from the ledger, not restarted from zero: the next request is decided
			// against everything spent so far, and afterwards the counter holds all the ledger holds.
			connection.sync().del(counter, counter + ":h", counter + ":a");
			int expected = ledger + reservation <= limit ? 200 : 402;
			assertThat(send(clients.get(1), key.secret(), body).block(WAIT)).isEqualTo(expected);
			// A refused request reserved nothing, so the re-seeded counter may have no "r" at all.
			await().atMost(WAIT).until(() -> {
				String reserved = connection.sync().hget(counter, "r");
				return reserved == null || reserved.equals("0");
			});
			long after = BudgetsTest.nanos(ledgerSum(tenant.id()));
			assertThat(Long.parseLong(connection.sync().hget(counter, "s"))).isEqualTo(after).isGreaterThanOrEqualTo(ledger);
		}
		finally {
			redis.shutdown();
		}
	}

	private static BigDecimal ledgerSum(String tenantId) {
		for (ConfigurableApplicationContext replica : replicas) {
			replica.getBean(UsageLedger.class).flush().block(WAIT);
		}
		BudgetPeriod.Window month = BudgetPeriod.MONTH.window(Instant.now());
		return replicas.get(0).getBean(UsageReport.class).spent(tenantId, null, month.start(), month.end()).block(WAIT);
	}

	private static Mono<Integer> send(WebClient client, String key, String body) {
		return client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(response -> response.statusCode().is5xxServerError()
					? response.bodyToMono(String.class).map(text -> {
						System.out.println(response.statusCode() + ": " + text);
						return text.contains("\"budget_unavailable\"") ? UNAVAILABLE : response.statusCode().value();
					})
					: response.releaseBody().thenReturn(response.statusCode().value()));
	}

}
