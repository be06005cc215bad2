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
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.budget.BudgetBook;
import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CacheRequest;
import io.fulcrum.gateway.cache.CachePolicy;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.InMemoryResponseCache;
import io.fulcrum.gateway.cache.RedisResponseCache;
import io.fulcrum.gateway.cache.ResponseCache;
import io.fulcrum.gateway.cache.LocalModelEmbedder;
import io.fulcrum.gateway.cache.SemanticIndex;
import io.fulcrum.gateway.cache.SemanticResponseCache;
import io.fulcrum.gateway.cache.SseReplay;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
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

	/**
	 * The response cache's request-path work (eligibility, key, lookup, store, a streamed hit's replay) on a
	 * non-blocking thread, with both stores (Redis: the real one at 127.0.0.1:6379). The shared gateway runs with the
	 * cache off, so its steps are driven here directly.
	 */
	@Test
	void responseCacheNeverBlocksANonBlockingThread() {
		Scheduler nonBlocking = Schedulers.newParallel("cache-blockhound-check", 1);
		tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode) Json
			.parse(chat("chat-default", false, ",\"temperature\":0"));
		CachedResponse entry = new CachedResponse(("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,"
				+ "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
				+ "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8), "primary", "primary-model", TokenUsage.exact(1, 0, 1));
		CachePolicy policy = new CachePolicy(true, true, false, false);
		try (RedisResponseCache redis = new RedisResponseCache("redis://127.0.0.1:6379", "fulcrum:cache:blockhound:",
				Duration.ofSeconds(30), 1 << 20, Duration.ofSeconds(2))) {
			for (ResponseCache cache : List.of(new InMemoryResponseCache(Duration.ofMinutes(1), 1 << 20, 1 << 16),
					redis)) {
				Mono<List<String>> path = Mono.fromCallable(() -> {
					assertThat(policy.decide(CacheEndpoint.CHAT, body, null, null).looksUp()).isTrue();
					return CacheRequest.of("ten_" + UUID.nameUUIDFromBytes(new byte[] { 1 }), "chat-default",
							CacheEndpoint.CHAT, body);
				})
					.flatMap(key -> cache.store(key, entry).then(cache.lookup(key)))
					.map(hit -> SseReplay.chunks(Json.parse(hit.body()), true))
					.subscribeOn(nonBlocking);
				assertThat(path.block(Duration.ofSeconds(10))).hasSize(4);
			}
		}
		finally {
			nonBlocking.dispose();
		}
	}

	/**
	 * The semantic cache's steps on a non-blocking thread: tokenising, waiting for the real model's embedding (a
	 * future, completed on the engine thread and handed back on the parallel scheduler), the index search and store.
	 */
	@Test
	void semanticCacheNeverBlocksANonBlockingThread() {
		Scheduler nonBlocking = Schedulers.newParallel("semantic-blockhound-check", 1);
		CachedResponse entry = new CachedResponse("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "primary",
				"primary-model", TokenUsage.exact(1, 0, 1));
		SemanticResponseCache cache = new SemanticResponseCache(
				new InMemoryResponseCache(Duration.ofMinutes(1), 1 << 20, 1 << 16),
				new SemanticIndex(this.localBackend.model().dimensions(), Duration.ofMinutes(1), 100, 1_000),
				new LocalModelEmbedder(this.localBackend.model(), Duration.ofSeconds(10)), 0.9, java.util.Map.of());
		try {
			Mono<CachedResponse> path = Mono
				.fromCallable(() -> CacheRequest.of("ten_semantic", "chat-default", CacheEndpoint.CHAT,
						(tools.jackson.databind.node.ObjectNode) Json.parse(
								"{\"messages\":[{\"role\":\"user\",\"content\":\"How do I reset my password?\"}]}")))
				.flatMap(stored -> cache.store(stored, entry))
				.then(Mono.fromCallable(() -> CacheRequest.of("ten_semantic", "chat-default", CacheEndpoint.CHAT,
						(tools.jackson.databind.node.ObjectNode) Json.parse(
								"{\"messages\":[{\"role\":\"user\",\"content\":\"How can I reset my password?\"}]}"))))
				.flatMap(cache::lookup)
				.subscribeOn(nonBlocking);
			CachedResponse hit = path.block(Duration.ofSeconds(20));
			assertThat(hit).isNotNull();
			assertThat(hit.similarity()).isGreaterThan(0.9);
		}
		finally {
			nonBlocking.dispose();
		}
	}

	/**
	 * The semantic index past 256 entries in a partition: building, extending and searching its Lucene HNSW graph
	 * (Lucene's classes first loaded here) on a non-blocking thread.
	 */
	@Test
	void semanticIndexHnswGraphNeverBlocksANonBlockingThread() {
		Scheduler nonBlocking = Schedulers.newParallel("semantic-hnsw-blockhound-check", 1);
		CachedResponse entry = new CachedResponse("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "primary",
				"primary-model", TokenUsage.exact(1, 0, 1));
		io.fulcrum.gateway.cache.SemanticQuery.Partition partition = new io.fulcrum.gateway.cache.SemanticQuery.Partition(
				"ten_hnsw", "chat-default", "ctx");
		SemanticIndex index = new SemanticIndex(64, Duration.ofMinutes(1), 2_000, 10_000);
		try {
			Boolean found = Mono.fromCallable(() -> {
				java.util.Random random = new java.util.Random(3);
				float[] last = null;
				for (int i = 0; i < 1_200; i++) {
					last = new float[64];
					for (int d = 0; d < last.length; d++) {
						last[d] = (float) random.nextGaussian();
					}
					index.add(partition, last, entry);
				}
				return index.nearest(partition, last, 0.99) != null;
			}).subscribeOn(nonBlocking).block(Duration.ofSeconds(60));
			assertThat(found).isTrue();
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
