package io.fulcrum.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.fulcrum.billing.r2dbc.R2dbcUsageLedger;
import io.fulcrum.gateway.FulcrumGatewayApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real gateway, as a child JVM on PostgreSQL with the durable spool on, killed with SIGKILL in the middle of
 * parallel traffic and started again on the same spool and schema. Every request whose answer the client received
 * in full must end with its usage record, except those inside the bound {@link R2dbcUsageLedger} documents for a
 * killed process (the batch being gathered and what arrived during the last {@code fsync}), and no request may be
 * recorded twice or with an attempt it did not make.
 * <p>
 * So that the restart really has spooled records to replay, the test holds a lock on {@code usage_records} for the
 * last stretch before the kill: the gateway keeps spooling batches it cannot write (as during a slow or stalled
 * database), and those must reach PostgreSQL from the spool after the restart. Uses the machine's PostgreSQL
 * (127.0.0.1:5432, database {@code test}, user {@code postgres}) in a schema of its own, dropped first.
 */
class KilledGatewayE2ETest {

	private static final String SCHEMA = "e2e_sigkill";

	private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String API_KEY = "fk-e2e-sigkill-key-0000000000000000";

	private static final int CONCURRENCY = 8;

	/** Answers received before the lock is taken: enough for several written batches. */
	private static final int ANSWERS_BEFORE_LOCK = 150;

	/** Answers received while the lock is held, before the kill: spooled, not written, so replayed on restart. */
	private static final int ANSWERS_WHILE_LOCKED = 150;

	/** The longest the test allows one spool {@code fsync}, with the hand-offs around it, to take. */
	private static final Duration FSYNC_ALLOWANCE = Duration.ofSeconds(1);

	/**
	 * How long before the kill a request may have been answered and still be lost. A record is safe once its batch
	 * is spooled: the ledger takes appended records every gather interval, a batch closes at most
	 * {@link R2dbcUsageLedger#MAX_WAIT} after its first record was taken, and its {@code fsync} follows; the records
	 * that arrive while that {@code fsync} runs belong to the next batch. So a lost record was appended within one
	 * gather interval plus {@code MAX_WAIT} plus one {@code fsync} (and the thread hand-offs) of the kill.
	 * {@link #FSYNC_ALLOWANCE} stands for that {@code fsync} and scheduling on a slow, shared CI machine; the client
	 * sees an answer within a millisecond of its record's append on loopback.
	 */
	private static final Duration LOSS_WINDOW = R2dbcUsageLedger.MAX_WAIT
		.plus(R2dbcUsageLedger.gatherInterval(R2dbcUsageLedger.MAX_WAIT))
		.plus(FSYNC_ALLOWANCE);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Path workDir;

	private Process gateway;

	private int port;

	@BeforeEach
	void freshSchemaAndSpool() throws Exception {
		try (Connection db = database(); Statement sql = db.createStatement()) {
			sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
		this.workDir = Files.createDirectories(Path.of("target/e2e-sigkill", UUID.randomUUID().toString()))
			.toAbsolutePath();
	}

	@AfterEach
	void stopTheGateway() throws InterruptedException {
		if (this.gateway != null && this.gateway.isAlive()) {
			this.gateway.destroyForcibly();
			this.gateway.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void killedMidLoadAndRestartedLosesOnlyTheUnspooledBatchAndRecordsEachAnsweredRequestOnce() throws Exception {
		startGateway("first");
		ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
		AtomicInteger sent = new AtomicInteger();
		Semaphore slots = new Semaphore(CONCURRENCY);
		List<CompletableFuture<?>> calls = new ArrayList<>();
		long killedAt;
		try (Connection lock = database()) {
			boolean locked = false;
			while (true) {
				if (!locked && answers.size() >= ANSWERS_BEFORE_LOCK) {
					lock.setAutoCommit(false);
					try (Statement sql = lock.createStatement()) {
						sql.execute("LOCK TABLE " + SCHEMA + ".usage_records IN ACCESS EXCLUSIVE MODE");
					}
					locked = true;
				}
				if (locked && answers.size() >= ANSWERS_BEFORE_LOCK + ANSWERS_WHILE_LOCKED) {
					break;
				}
				assertThat(this.gateway.isAlive()).as("gateway still running").isTrue();
				if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
					throw new AssertionError("no answer within 30 s; see " + this.workDir);
				}
				calls.add(send(sent.getAndIncrement(), answers).whenComplete((answer, error) -> slots.release()));
			}
			killedAt = System.nanoTime();
			this.gateway.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
			assertThat(this.gateway.waitFor(30, TimeUnit.SECONDS)).as("gateway killed").isTrue();
			lock.rollback();
		}
		// Let the calls cut off by the kill fail (or finish, for answers already on their way) before counting.
		CompletableFuture.allOf(calls.stream().map((call) -> call.exceptionally((error) -> null))
			.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		List<Answer> received = new ArrayList<>(answers);
		long writtenBeforeRestart = recordsOf(received.stream().map(Answer::requestId).toList()).size();

		startGateway("restarted");
		// The ledger writes the replayed spool before anything new, in order: once a fresh request's record is in
		// PostgreSQL, so is everything the spool held.
		Answer marker = send(sent.getAndIncrement(), new ConcurrentLinkedQueue<>()).get(60, TimeUnit.SECONDS);
		awaitTrue(() -> !recordsOf(List.of(marker.requestId())).isEmpty(), Duration.ofSeconds(60),
				"the restarted gateway's first record in PostgreSQL");

		List<String> receivedIds = received.stream().map(Answer::requestId).toList();
		Map<String, List<Attempt>> records = recordsOf(receivedIds);
		List<Answer> lost = received.stream().filter((answer) -> !records.containsKey(answer.requestId())).toList();
		long answeredInWindow = answeredSince(received, killedAt - LOSS_WINDOW.toNanos());
		long answeredDuringLastFsync = answeredSince(received, killedAt - FSYNC_ALLOWANCE.toNanos());
		System.out.printf(
				"sent %d, answered in full %d, records for them before the restart %d, after %d (replayed %d), "
						+ "lost %d (answered in the last %d ms before the kill: %d)%n",
				sent.get() - 1, received.size(), writtenBeforeRestart, records.size(),
				records.size() - writtenBeforeRestart, lost.size(), LOSS_WINDOW.toMillis(), answeredInWindow);

		assertThat(records.size() - writtenBeforeRestart).as("records the restarted gateway wrote from the spool")
			.isPositive();
		for (Answer answer : lost) {
			assertThat(killedAt - answer.answeredAt()).as("lost record of %s: answered %d ms before the kill",
					answer.requestId(), TimeUnit.NANOSECONDS.toMillis(killedAt - answer.answeredAt()))
				.isLessThanOrEqualTo(LOSS_WINDOW.toNanos());
		}
		assertThat((long) lost.size()).as("lost: at most the batch being gathered and what arrived during the last fsync")
			.isLessThanOrEqualTo(R2dbcUsageLedger.MAX_BATCH + answeredDuringLastFsync);
		// The simulator never fails, so each request was answered by its first attempt, and only that one.
		records.forEach((requestId, attempts) -> assertThat(attempts).as("records of %s", requestId)
			.containsExactly(new Attempt(1, "SUCCESS")));
		// Requests cut off by the kill have no answer to check; at most one record each, and none beyond attempt 1.
		Map<String, List<Attempt>> all = allRecords();
		all.forEach((requestId, attempts) -> assertThat(attempts).as("records of %s", requestId)
			.hasSize(1)
			.allSatisfy((attempt) -> assertThat(attempt.number()).isEqualTo(1)));
		assertThat(all.size()).as("records: one per request sent, at most").isLessThanOrEqualTo(sent.get());
	}

	/** Starts the gateway as a child JVM, on the same schema and spool every time; returns when it answers. */
	private void startGateway(String name) throws Exception {
		this.port = freePort();
		Path log = this.workDir.resolve(name + ".log");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				FulcrumGatewayApplication.class.getName(), "--server.port=" + this.port,
				"--fulcrum.storage.type=postgres", "--fulcrum.storage.postgres.host=127.0.0.1",
				"--fulcrum.storage.postgres.port=5432", "--fulcrum.storage.postgres.database=test",
				"--fulcrum.storage.postgres.user=postgres", "--fulcrum.storage.postgres.schema=" + SCHEMA,
				"--fulcrum.storage.spool-dir=" + this.workDir.resolve("spool"),
				"--fulcrum.server.bootstrap-api-key=" + API_KEY, "--fulcrum.server.admin-token=e2e-sigkill-admin",
				// Long enough that requests are in flight, mid-stream, when the kill comes.
				"--fulcrum.simulator.ttft-millis=10", "--fulcrum.simulator.tokens-per-second=1000");
		this.gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		HttpRequest models = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/models"))
			.timeout(Duration.ofSeconds(5))
			.header("Authorization", "Bearer " + API_KEY)
			.build();
		awaitTrue(() -> {
			assertThat(this.gateway.isAlive()).as("gateway '%s' exited; see %s", name, log).isTrue();
			try {
				return this.http.send(models, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}, START_TIMEOUT, "gateway '" + name + "' answering on port " + this.port + "; see " + log);
	}

	/**
	 * Sends request {@code i}: streamed with usage, streamed without, or whole, in turn. Completes with the answer
	 * once its body was received in full (and adds it to {@code answers}); fails when the connection breaks.
	 */
	private CompletableFuture<Answer> send(int i, ConcurrentLinkedQueue<Answer> answers) {
		String extra = switch (i % 3) {
			case 0 -> ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";
			case 1 -> ",\"stream\":true";
			default -> "";
		};
		String body = "{\"model\":\"chat-default\",\"max_tokens\":" + (8 + i % 17) + extra
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Request number " + i + "\"}]}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + API_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			long now = System.nanoTime();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			if (i % 3 != 2) {
				assertThat(response.body()).as("a whole stream").contains("data: [DONE]");
			}
			Answer answer = new Answer(response.headers().firstValue("x-request-id").orElseThrow(), now);
			answers.add(answer);
			return answer;
		});
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	private static Connection database() throws SQLException {
		return DriverManager.getConnection(JDBC_URL, "postgres", "");
	}

	private static long answeredSince(List<Answer> answers, long since) {
		return answers.stream().filter((answer) -> answer.answeredAt() >= since).count();
	}

	private static Map<String, List<Attempt>> recordsOf(List<String> requestIds) {
		try (Connection db = database();
				var select = db.prepareStatement("SELECT request_id, attempt, status FROM " + SCHEMA
						+ ".usage_records WHERE request_id = ANY (?) ORDER BY request_id, attempt")) {
			select.setArray(1, db.createArrayOf("varchar", requestIds.toArray()));
			return byRequest(select.executeQuery());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, List<Attempt>> allRecords() throws SQLException {
		try (Connection db = database(); Statement sql = db.createStatement()) {
			return byRequest(sql.executeQuery(
					"SELECT request_id, attempt, status FROM " + SCHEMA + ".usage_records ORDER BY request_id, attempt"));
		}
	}

	private static Map<String, List<Attempt>> byRequest(ResultSet rows) throws SQLException {
		Map<String, List<Attempt>> records = new HashMap<>();
		try (rows) {
			while (rows.next()) {
				records.computeIfAbsent(rows.getString(1), (id) -> new ArrayList<>())
					.add(new Attempt(rows.getInt(2), rows.getString(3)));
			}
		}
		return records;
	}

	private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
			}
			Thread.sleep(100);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** A request the client received in full, and when. */
	private record Answer(String requestId, long answeredAt) {
	}

	/** One usage record of a request: its attempt number and status. */
	private record Attempt(int number, String status) {
	}

}
