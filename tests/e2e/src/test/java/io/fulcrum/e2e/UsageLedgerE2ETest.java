package io.fulcrum.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.gateway.FulcrumGatewayApplication;
import io.fulcrum.simulator.ProviderSimulator;
import io.fulcrum.simulator.SimulatorControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage ledger as customers depend on it: the gateway of the embedded default's catalog, but on PostgreSQL (a
 * server of the test's own, so it can be crashed) with the durable spool on. Parallel streamed and whole requests in
 * both API dialects must leave exactly one record each, with the tokens the provider reported; and a PostgreSQL
 * crash in the middle of the load must lose and duplicate nothing.
 */
class UsageLedgerE2ETest {

	private static final String API_KEY = "fk-e2e-ledger-key-00000000000000000";

	private static PrivatePostgres postgres;

	private static ConfigurableApplicationContext gateway;

	private static SimulatorControl simulator;

	private static HttpClient http;

	private static String baseUrl;

	@BeforeAll
	static void start() throws IOException {
		postgres = PrivatePostgres.start();
		String run = UUID.randomUUID().toString();
		gateway = new SpringApplicationBuilder(FulcrumGatewayApplication.class).run("--server.port=0",
				"--fulcrum.storage.type=postgres", "--fulcrum.storage.postgres.port=" + postgres.port(),
				"--fulcrum.storage.postgres.database=postgres", "--fulcrum.storage.postgres.schema=fulcrum",
				"--fulcrum.storage.spool-dir=" + Path.of("target/e2e-spool", run).toAbsolutePath(),
				"--fulcrum.server.bootstrap-api-key=" + API_KEY, "--fulcrum.server.admin-token=e2e-ledger-admin",
				"--fulcrum.simulator.ttft-millis=5", "--fulcrum.simulator.tokens-per-second=2000");
		simulator = gateway.getBean(ProviderSimulator.class).control();
		http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
	}

	@AfterAll
	static void stop() throws IOException {
		if (gateway != null) {
			gateway.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@BeforeEach
	void resetTheProviderCounts() {
		simulator.reset();
	}

	@Test
	void parallelRequestsLeaveExactlyOneRecordEachWithTheTokensTheProviderReported() throws Exception {
		List<String> requestIds = sendInParallel(400, 32, null);

		ledger().flush().block(Duration.ofSeconds(60));
		Totals totals = totals(requestIds);
		assertThat(totals.records()).as("one record per request").isEqualTo(requestIds.size());
		assertThat(totals.requests()).isEqualTo(requestIds.size());
		assertThat(totals.estimated()).as("records with estimated usage").isZero();
		assertThat(simulator.answers()).isEqualTo(requestIds.size());
		assertThat(totals.inputTokens()).isEqualTo(simulator.answeredPromptTokens());
		assertThat(totals.outputTokens()).isEqualTo(simulator.answeredOutputTokens());
		assertThat(totals.customerPrice()).isPositive();
	}

	@Test
	void aPostgresCrashDuringLoadLosesAndDuplicatesNothing() throws Exception {
		// The app key is looked up once and cached, so requests keep being served while the database is down.
		long[] servedWhileDown = new long[1];
		List<String> requestIds = sendInParallel(600, 8, () -> {
			postgres.crash();
			long before = simulator.answers();
			Thread.sleep(2_000);
			servedWhileDown[0] = simulator.answers() - before;
			postgres.startServer();
		});
		assertThat(servedWhileDown[0]).as("requests served while PostgreSQL was down").isPositive();

		ledger().flush().block(Duration.ofSeconds(90));
		Totals totals = totals(requestIds);
		assertThat(totals.records()).as("one record per request, none lost, none twice").isEqualTo(requestIds.size());
		assertThat(totals.requests()).isEqualTo(requestIds.size());
		assertThat(totals.inputTokens()).isEqualTo(simulator.answeredPromptTokens());
		assertThat(totals.outputTokens()).isEqualTo(simulator.answeredOutputTokens());
	}

	/**
	 * Sends {@code count} chat requests, {@code concurrency} at a time, cycling through OpenAI streamed (with and
	 * without {@code include_usage}) and whole, and Anthropic streamed and whole. When {@code midway} is given it
	 * runs once a third of the requests have been sent, while the rest keep flowing. Every request must succeed.
	 * @return the request ids the gateway answered with
	 */
	private static List<String> sendInParallel(int count, int concurrency, Interruption midway) throws Exception {
		Semaphore slots = new Semaphore(concurrency);
		List<CompletableFuture<String>> answers = new ArrayList<>();
		CompletableFuture<Void> interruption = CompletableFuture.completedFuture(null);
		for (int i = 0; i < count; i++) {
			if (midway != null && i == count / 3) {
				interruption = CompletableFuture.runAsync(() -> {
					try {
						midway.run();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
			}
			slots.acquire();
			answers.add(http.sendAsync(request(i), HttpResponse.BodyHandlers.ofString()).whenComplete((r, ex) -> slots.release())
				.thenApply(response -> {
					assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
					assertThat(response.body()).isNotBlank();
					return response.headers().firstValue("x-request-id").orElseThrow();
				}));
		}
		interruption.get();
		List<String> ids = new ArrayList<>();
		for (CompletableFuture<String> answer : answers) {
			ids.add(answer.get());
		}
		assertThat(ids).doesNotHaveDuplicates();
		return ids;
	}

	private static HttpRequest request(int i) {
		int words = 3 + i % 17;
		String prompt = "Count the words in this prompt ".repeat(words).trim();
		int maxTokens = 4 + i % 23;
		String path;
		String body;
		switch (i % 5) {
			case 0 -> {
				path = "/v1/chat/completions";
				body = chat("chat-default", prompt, maxTokens, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
			}
			case 1 -> {
				path = "/v1/chat/completions";
				body = chat("chat-default", prompt, maxTokens, ",\"stream\":true");
			}
			case 2 -> {
				path = "/v1/chat/completions";
				body = chat("chat-default", prompt, maxTokens, "");
			}
			case 3 -> {
				path = "/v1/messages";
				body = chat("claude-haiku", prompt, maxTokens, ",\"stream\":true");
			}
			default -> {
				path = "/v1/messages";
				body = chat("claude-haiku", prompt, maxTokens, "");
			}
		}
		return HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + API_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/** A chat body both APIs accept: {@code model}, {@code max_tokens}, one user message, and {@code extra} fields. */
	private static String chat(String model, String prompt, int maxTokens, String extra) {
		return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + extra
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
	}

	private static UsageLedger ledger() {
		return gateway.getBean(UsageLedger.class);
	}

	/** Sums over the records of {@code requestIds}, read straight from PostgreSQL. */
	private static Totals totals(List<String> requestIds) throws SQLException {
		String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres";
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				PreparedStatement select = connection.prepareStatement("""
						SELECT COUNT(*), COUNT(DISTINCT request_id), COALESCE(SUM(input_tokens), 0),
						       COALESCE(SUM(output_tokens), 0), COUNT(*) FILTER (WHERE estimated),
						       COALESCE(SUM(customer_price), 0)
						FROM fulcrum.usage_records WHERE request_id = ANY (?)""")) {
			select.setArray(1, connection.createArrayOf("varchar", requestIds.toArray()));
			try (ResultSet row = select.executeQuery()) {
				row.next();
				return new Totals(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
						row.getBigDecimal(6));
			}
		}
	}

	private record Totals(long records, long requests, long inputTokens, long outputTokens, long estimated,
			BigDecimal customerPrice) {
	}

	@FunctionalInterface
	private interface Interruption {

		void run() throws Exception;

	}

}
