package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.budget.Enforcement;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that nothing on the request path blocks an event loop: BlockHound makes any blocking call on a Netty or
 * Reactor non-blocking thread throw, so a blocking call anywhere on these paths fails the request with a 500.
 * BlockHound stays installed for the rest of the JVM, so surefire runs this class in a JVM of its own (see the
 * module's pom).
 */
class NonBlockingRequestPathTest extends GatewayTestSupport {

	@Autowired
	LocalBackendServer localBackend;

	@BeforeAll
	static void installBlockHound() {
		// install(...) also loads the SPI integrations (Reactor's and Netty's thread markers); builder() would not.
		BlockHound.install(builder -> builder
			// Logback's console appender takes a lock to keep lines whole; contention is rare and short.
			.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
			// jtokkit reads its vocabulary from the class path once, on first use.
			.allowBlockingCallsInside("com.knuddels.jtokkit.EncodingFactory", "loadMergeableRanks"));
	}

	@Test
	void blockHoundRejectsBlockingOnANonBlockingThread() throws Exception {
		Scheduler nonBlocking = Schedulers.newParallel("blockhound-check", 1);
		try {
			CompletableFuture<Throwable> thrown = new CompletableFuture<>();
			nonBlocking.schedule(() -> {
				try {
					Thread.sleep(1);
					thrown.complete(null);
				}
				catch (Throwable ex) {
					thrown.complete(ex);
				}
			});
			assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(BlockingOperationError.class);
		}
		finally {
			nonBlocking.dispose();
		}
	}

	@Test
	void chatEmbeddingsModelsAndMessagesNeverBlockAnEventLoop() {
		for (boolean stream : List.of(false, true)) {
			post("/v1/chat/completions", chat("chat-default", stream, "")).expectStatus().isOk();
			post("/v1/chat/completions", chat("claude-only", stream, "")).expectStatus().isOk();
			post("/v1/messages", "{\"model\":\"chat-default\",\"max_tokens\":5,\"stream\":" + stream
					+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
				.expectStatus()
				.isOk();
		}
		post("/v1/embeddings", "{\"model\":\"text-embedding\",\"input\":[\"a\",\"b\"]}").expectStatus().isOk();
		// the local backend, in process: its routes, tokenizer and batcher share these event loops
		post("/v1/embeddings", "{\"model\":\"local-embedding\",\"input\":[\"a\",\"b\"]}").expectStatus().isOk();
		if (this.localBackend.generator() != null) {
			// and its generation engine, whole and streamed (the engine thread hands text to the event loops)
			for (boolean stream : List.of(false, true)) {
				post("/v1/chat/completions", chat("local-story", stream, "")).expectStatus().isOk();
			}
		}
		this.client.get()
			.uri("/v1/models")
			.header("Authorization", "Bearer " + KEY)
			.exchange()
			.expectStatus()
			.isOk();
		// errors and a fresh (uncached) key lookup go through the same threads
		post("/v1/chat/completions", "{not json").expectStatus().isBadRequest();
		this.client.post()
			.uri("/v1/chat/completions")
			.header("Authorization", "Bearer fk-unknown-key-00000000000000000000")
			.bodyValue(chat("chat-default", false, ""))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(usage("none")).isEmpty();
	}

	@Test
	void aHedgeRaceNeverBlocksAnEventLoop() {
		// The first attempt is slow, so the hedge starts after its delay, wins, and the first is cancelled.
		this.simulator.control().setProfile("hedged-cheap-model", ModelProfile.DEFAULT.withTtftMs(3000));
		for (boolean stream : List.of(false, true)) {
			post("/v1/chat/completions", chat("chat-hedged", stream, "")).expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("x-fulcrum-deployment", "hedged-dear");
		}
	}

	@Autowired
	AccountStore accounts;

	@Autowired
	BudgetStore budgets;

	@Autowired
	BudgetBook book;

	@Test
	void budgetedRequestsAndTheUsageApiNeverBlockAnEventLoop() {
		Tenant tenant = this.accounts.createTenant("blockhound-" + UUID.randomUUID()).block(Duration.ofSeconds(10));
		IssuedKey key = this.accounts.createKey(tenant.id(), "bh", Set.of(), null).block(Duration.ofSeconds(10));
		this.budgets.put(new Budget(BudgetScope.TENANT, tenant.id(), new BigDecimal("10"), BudgetPeriod.MONTH,
				Enforcement.HARD, Budget.DEFAULT_ALERT_THRESHOLD)).block(Duration.ofSeconds(10));
		this.book.reload().block(Duration.ofSeconds(10));
		// The first request seeds the counter from the ledger; the second reserves on the seeded counter.
		for (boolean stream : List.of(false, true)) {
			this.client.post()
				.uri("/v1/chat/completions")
				.header("Authorization", "Bearer " + key.secret())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(chat("chat-default", stream, ""))
				.exchange()
				.expectStatus()
				.isOk();
		}
		this.client.get()
			.uri("/v1/usage?start=2026-01-01&group_by=model")
			.header("Authorization", "Bearer " + key.secret())
			.exchange()
			.expectStatus()
			.isOk();
	}

}
