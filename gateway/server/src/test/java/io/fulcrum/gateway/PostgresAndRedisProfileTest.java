package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ProviderSimulator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production storage and limiter: accounts and usage in PostgreSQL (schema {@value #SCHEMA}, dropped before the
 * context starts so runs repeat), request limits counted in Redis.
 */
@SpringBootTest(classes = FulcrumGatewayApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "fulcrum.storage.type=postgres", "fulcrum.storage.postgres.host=127.0.0.1",
				"fulcrum.storage.postgres.port=5432", "fulcrum.storage.postgres.database=test",
				"fulcrum.storage.postgres.user=postgres", "fulcrum.storage.postgres.schema=" + PostgresAndRedisProfileTest.SCHEMA,
				"fulcrum.rate-limit.backend=redis", "fulcrum.rate-limit.redis-uri=" + PostgresAndRedisProfileTest.REDIS,
				"fulcrum.rate-limit.requests-per-minute=3",
				"fulcrum.storage.spool-dir=" + PostgresAndRedisProfileTest.SPOOL })
@ActiveProfiles("it")
class PostgresAndRedisProfileTest {

	static final String SCHEMA = "gateway_it";

	static final String REDIS = "redis://127.0.0.1:6379";

	/** Usage records go through the write-ahead spool here, as in production; emptied before the context starts. */
	static final String SPOOL = "target/it-spool/postgres";

	private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	static {
		try (Connection connection = DriverManager.getConnection(JDBC_URL, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
			org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(SPOOL));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + JDBC_URL + " is needed for this test", ex);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	AccountStore accounts;

	@Autowired
	UsageLedger ledger;

	WebTestClient client;

	@BeforeEach
	void startFromACleanGateway() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.simulator.control().reset();
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@Test
	void aCompletionsUsageIsRecordedInPostgresAtTheDeploymentsPrice() throws SQLException {
		IssuedKey key = issueKey();

		EntityExchangeResult<byte[]> result = chat(key.secret());

		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(result.getResponseHeaders().getFirst("x-fulcrum-deployment")).isEqualTo("primary");
		JsonNode usage = Json.parse(result.getResponseBody()).path("usage");
		long prompt = usage.path("prompt_tokens").asLong();
		long completion = usage.path("completion_tokens").asLong();
		assertThat(prompt).isPositive();
		assertThat(completion).isPositive();
		String requestId = result.getResponseHeaders().getFirst("x-request-id");
		awaitUsageRecord(requestId);

		try (Connection connection = DriverManager.getConnection(JDBC_URL, "postgres", "");
				PreparedStatement query = connection.prepareStatement("SELECT attempt, tenant_id, key_id, model_alias, "
						+ "deployment_id, upstream_model, input_tokens, cached_input_tokens, output_tokens, estimated, "
						+ "provider_cost, customer_price, status FROM " + SCHEMA
						+ ".usage_records WHERE request_id = ?")) {
			query.setString(1, requestId);
			try (ResultSet row = query.executeQuery()) {
				assertThat(row.next()).as("a usage record for " + requestId).isTrue();
				assertThat(row.getInt("attempt")).isEqualTo(1);
				assertThat(row.getString("tenant_id")).isEqualTo(key.key().tenantId());
				assertThat(row.getString("key_id")).isEqualTo(key.key().id());
				assertThat(row.getString("model_alias")).isEqualTo("chat-default");
				assertThat(row.getString("deployment_id")).isEqualTo("primary");
				assertThat(row.getString("upstream_model")).isEqualTo("primary-model");
				assertThat(row.getLong("input_tokens")).isEqualTo(prompt);
				assertThat(row.getLong("cached_input_tokens")).isZero();
				assertThat(row.getLong("output_tokens")).isEqualTo(completion);
				assertThat(row.getBoolean("estimated")).isFalse();
				BigDecimal expected = BigDecimal.valueOf(prompt)
					.multiply(new BigDecimal("1.00"))
					.add(BigDecimal.valueOf(completion).multiply(new BigDecimal("2.00")))
					.divide(BigDecimal.valueOf(1_000_000));
				assertThat(row.getBigDecimal("provider_cost")).isEqualByComparingTo(expected);
				assertThat(row.getBigDecimal("customer_price")).isEqualByComparingTo(expected);
				assertThat(row.getString("status")).isEqualTo("SUCCESS");
				assertThat(row.next()).as("one attempt only").isFalse();
			}
		}
	}

	@Test
	void theFourthRequestInAMinuteIsA429CountedInRedis() throws InterruptedException {
		awaitLimiterOnRedis();
		IssuedKey key = issueKey();

		for (int i = 1; i <= 3; i++) {
			EntityExchangeResult<byte[]> allowed = chat(key.secret());
			assertThat(allowed.getStatus().value()).as("request " + i).isEqualTo(200);
			assertThat(allowed.getResponseHeaders().getFirst("x-ratelimit-limit-requests")).isEqualTo("3");
			assertThat(allowed.getResponseHeaders().getFirst("x-ratelimit-remaining-requests"))
				.isEqualTo(Integer.toString(3 - i));
		}
		// A bucket of 3 per minute refills one request every 20 s: the fourth, right after, is refused.
		EntityExchangeResult<byte[]> refused = chat(key.secret());

		assertThat(refused.getStatus().value()).isEqualTo(429);
		HttpHeaders headers = refused.getResponseHeaders();
		assertThat(headers.getFirst("x-request-id")).startsWith("req_");
		assertThat(headers.getFirst("x-ratelimit-limit-requests")).isEqualTo("3");
		assertThat(headers.getFirst("x-ratelimit-remaining-requests")).isEqualTo("0");
		assertThat(headers.getFirst("x-ratelimit-reset-requests")).matches("\\d+ms");
		long retryAfter = Long.parseLong(headers.getFirst("Retry-After"));
		assertThat(retryAfter).isBetween(1L, 20L);
		JsonNode error = Json.parse(refused.getResponseBody()).path("error");
		assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
		assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(this.simulator.control().requests("primary-model")).as("the refused request went nowhere")
			.isEqualTo(4);

		RedisClient redis = RedisClient.create(REDIS);
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			String bucket = bucket(key);
			List<String> keys = connection.sync().keys("fulcrum:rl:*" + key.key().id() + "*");
			assertThat(keys).containsExactly(bucket);
			assertThat(Double.parseDouble(connection.sync().hget(bucket, "l"))).as("requests left").isLessThan(1);
			assertThat(connection.sync().pttl(bucket)).isBetween(1L, 120_000L);
		}
		finally {
			redis.shutdown();
		}
	}

	@Test
	void keysAreLimitedSeparately() {
		IssuedKey first = issueKey();
		IssuedKey second = issueKey();

		EntityExchangeResult<byte[]> one = chat(first.secret());
		EntityExchangeResult<byte[]> other = chat(second.secret());

		assertThat(one.getResponseHeaders().getFirst("x-ratelimit-remaining-requests")).isEqualTo("2");
		assertThat(other.getResponseHeaders().getFirst("x-ratelimit-remaining-requests")).isEqualTo("2");
	}

	@Test
	void accountsLiveInPostgres() throws SQLException {
		IssuedKey key = issueKey();

		try (Connection connection = DriverManager.getConnection(JDBC_URL, "postgres", "");
				PreparedStatement query = connection
					.prepareStatement("SELECT tenant_id, active FROM " + SCHEMA + ".api_keys WHERE id = ?")) {
			query.setString(1, key.key().id());
			try (ResultSet row = query.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString("tenant_id")).isEqualTo(key.key().tenantId());
				assertThat(row.getBoolean("active")).isTrue();
			}
		}
	}

	/**
	 * The limiter connects to Redis on first use and counts locally until then (and whenever Redis answers slower
	 * than its timeout): sends requests with throwaway keys until one of them is counted in Redis.
	 */
	private void awaitLimiterOnRedis() throws InterruptedException {
		RedisClient redis = RedisClient.create(REDIS);
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (true) {
				IssuedKey probe = issueKey();
				assertThat(chat(probe.secret()).getStatus().value()).isEqualTo(200);
				if (connection.sync().exists(bucket(probe)) > 0) {
					return;
				}
				assertThat(System.nanoTime() - deadline).as("the limiter reached Redis within 20 s").isNegative();
				Thread.sleep(200);
			}
		}
		finally {
			redis.shutdown();
		}
	}

	/** The key's requests-per-minute bucket: the tenant's hash tag keeps key and tenant buckets on one slot. */
	private static String bucket(IssuedKey key) {
		return "fulcrum:rl:{t:" + key.key().tenantId() + "}:key:" + key.key().id() + ":rpm";
	}

	private IssuedKey issueKey() {
		Tenant tenant = this.accounts.createTenant("pg-" + UUID.randomUUID()).block(Duration.ofSeconds(10));
		return this.accounts.createKey(tenant.id(), "pg", Set.of(), null).block(Duration.ofSeconds(10));
	}

	private EntityExchangeResult<byte[]> chat(String key) {
		return this.client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"Count to three.\"}]}")
			.exchange()
			.expectBody(byte[].class)
			.returnResult();
	}

	/**
	 * The attempt is metered when its response completes, which can be just after the client has read it: flush
	 * until the record has reached the ledger.
	 */
	private void awaitUsageRecord(String requestId) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			this.ledger.flush().block(Duration.ofSeconds(10));
			try (Connection connection = DriverManager.getConnection(JDBC_URL, "postgres", "");
					PreparedStatement query = connection
						.prepareStatement("SELECT 1 FROM " + SCHEMA + ".usage_records WHERE request_id = ?")) {
				query.setString(1, requestId);
				try (ResultSet row = query.executeQuery()) {
					if (row.next() || System.nanoTime() > deadline) {
						return;
					}
				}
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
