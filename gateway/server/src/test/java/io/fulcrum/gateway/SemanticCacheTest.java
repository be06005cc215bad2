package io.fulcrum.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.RunningGatewayTest.Answer;
import io.fulcrum.gateway.cache.ResponseCache;
import io.fulcrum.gateway.cache.SemanticResponseCache;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ProviderSimulator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
 * The semantic cache end to end with the real embedding model (all-MiniLM-L6-v2 in the local backend, on the CPU):
 * paraphrases above the threshold hit with their similarity, other topics, other tenants, other system prompts and
 * temperatures never do; entries expire and are purged per tenant. Every test uses a tenant of its own.
 */
@SpringBootTest(classes = FulcrumGatewayApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "fulcrum.storage.embedded-path=target/it-db/semantic-cache", "fulcrum.cache.enabled=true",
				"fulcrum.cache.store=memory", "fulcrum.cache.ttl=4s", "fulcrum.cache.semantic.enabled=true",
				"fulcrum.cache.semantic.threshold=0.95", "fulcrum.cache.semantic.embed-timeout=10s" })
@ActiveProfiles("it")
class SemanticCacheTest {

	private static final String SYSTEM = "You are a helpful support agent.";

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	UsageLedger ledger;

	@Autowired
	AccountStore accounts;

	@Autowired
	ResponseCache cache;

	WebTestClient client;

	@BeforeEach
	void startClean() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.simulator.control().reset();
		assertThat(this.cache).isInstanceOf(SemanticResponseCache.class);
	}

	@Test
	void aParaphraseIsASemanticHitWithItsSimilarityAndIsMeteredAsAHit() {
		String key = issueKey();
		Answer first = postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("miss");

		Answer paraphrase = post(key, chat(SYSTEM, "How can I reset my password?", 0));
		assertThat(paraphrase.status()).isEqualTo(200);
		assertThat(paraphrase.header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(paraphrase.header("x-fulcrum-cache-kind")).isEqualTo("semantic");
		double similarity = Double.parseDouble(paraphrase.header("x-fulcrum-cache-similarity"));
		System.out.printf("semantic-cache: paraphrase similarity %.3f%n", similarity);
		assertThat(similarity).isBetween(0.95, 1.0);
		assertThat(paraphrase.text()).isEqualTo(first.text());
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
		List<UsageRecord> usage = usage(paraphrase.header("x-request-id"));
		assertThat(usage).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(UsageStatus.CACHE_HIT));

		Answer identical = post(key, chat(SYSTEM, "How do I reset my password?", 0));
		assertThat(identical.header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(identical.header("x-fulcrum-cache-kind")).isEqualTo("exact");
		assertThat(identical.header("x-fulcrum-cache-similarity")).isNull();
	}

	@Test
	void anotherTopicIsAMiss() {
		String key = issueKey();
		postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		assertThat(post(key, chat(SYSTEM, "What is the capital of France?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
		assertThat(post(key, chat(SYSTEM, "How do I delete my account?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(3);
	}

	@Test
	void anotherTenantNeverHits() {
		String key = issueKey();
		postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		// Each asked by a tenant of its own: a miss stores an entry of the asking tenant, which its next request may hit.
		assertThat(post(issueKey(), chat(SYSTEM, "How can I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
		assertThat(post(issueKey(), chat(SYSTEM, "How do I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
	}

	@Test
	void anotherSystemPromptOrTemperatureNeverHits() {
		String key = issueKey();
		postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		assertThat(post(key, chat("You are a pirate.", "How can I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
		String seeded = chat(SYSTEM, "How can I reset my password?", 0).replace("\"temperature\":0",
				"\"temperature\":0,\"seed\":3");
		assertThat(post(key, seeded).header("x-fulcrum-cache")).isEqualTo("miss");
		assertThat(post(key, chat(SYSTEM, "How can I reset my password?", 0).replace("\"max_tokens\":5",
				"\"max_tokens\":6")).header("x-fulcrum-cache")).isEqualTo("miss");
		assertThat(post(key, chat(SYSTEM, "How can I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("hit");
	}

	@Test
	void entriesExpire() {
		String key = issueKey();
		postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		sleep(4_500);
		assertThat(post(key, chat(SYSTEM, "How can I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
	}

	@Test
	void aTenantsEntriesArePurged() {
		String key = issueKey();
		String tenant = tenantOf(key);
		postAndAwaitIndexed(key, chat(SYSTEM, "How do I reset my password?", 0));
		String other = issueKey();
		postAndAwaitIndexed(other, chat(SYSTEM, "How do I reset my password?", 0));

		String purged = this.client.delete()
			.uri("/admin/api/tenants/" + tenant + "/cache")
			.header(HttpHeaders.AUTHORIZATION, "Bearer test-admin-token")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(Json.parse(purged).path("purged_entries").asLong()).as(purged).isEqualTo(2); // exact + semantic
		assertThat(post(key, chat(SYSTEM, "How do I reset my password?", 0)).header("x-fulcrum-cache"))
			.isEqualTo("miss");
		assertThat(post(other, chat(SYSTEM, "How can I reset my password?", 0)).header("x-fulcrum-cache"))
			.as("another tenant's entries stay")
			.isEqualTo("hit");
		this.client.delete()
			.uri("/admin/api/tenants/no-such-tenant/cache")
			.header(HttpHeaders.AUTHORIZATION, "Bearer test-admin-token")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	/**
	 * The hit rate on a small support workload: each question asked, then repeated word for word, then paraphrased,
	 * then unrelated questions. Prints the outcome of each; asserts what must hold whatever the model's scores.
	 */
	@Test
	void hitRateOnRepeatedParaphrasedAndNovelPrompts() {
		String key = issueKey();
		String[][] pairs = { { "How do I reset my password?", "How can I reset my password?" },
				{ "How do I change my email address?", "How can I change my email address?" },
				{ "What are your opening hours?", "What are your business hours?" },
				{ "Can I get a refund for my order?", "Can I get a refund on my order?" },
				{ "Where is my package?", "Where is my parcel?" },
				{ "How do I cancel my subscription?", "How can I cancel my subscription?" },
				{ "Do you ship to Canada?", "Do you deliver to Canada?" },
				{ "How do I contact customer support?", "How can I contact customer support?" } };
		String[] novel = { "What is the capital of France?", "Write a haiku about autumn.",
				"Explain quantum entanglement.", "What is 17 times 23?" };
		int requests = 0;
		int hits = 0;
		int paraphraseHits = 0;
		List<String> log = new ArrayList<>();
		for (String[] pair : pairs) {
			postAndAwaitIndexed(key, chat(SYSTEM, pair[0], 0));
			requests++;
		}
		for (String[] pair : pairs) {
			Answer repeat = post(key, chat(SYSTEM, pair[0], 0));
			requests++;
			assertThat(repeat.header("x-fulcrum-cache")).isEqualTo("hit");
			hits++;
		}
		for (String[] pair : pairs) {
			long start = System.nanoTime();
			Answer paraphrase = post(key, chat(SYSTEM, pair[1], 0));
			long micros = (System.nanoTime() - start) / 1_000;
			requests++;
			boolean hit = "hit".equals(paraphrase.header("x-fulcrum-cache"));
			if (hit) {
				hits++;
				paraphraseHits++;
			}
			log.add(String.format("  %-40s -> %s %s (%d us)", pair[1], paraphrase.header("x-fulcrum-cache"),
					paraphrase.header("x-fulcrum-cache-similarity"), micros));
		}
		for (String question : novel) {
			long start = System.nanoTime();
			Answer answer = post(key, chat(SYSTEM, question, 0));
			long micros = (System.nanoTime() - start) / 1_000;
			requests++;
			assertThat(answer.header("x-fulcrum-cache")).as(question).isEqualTo("miss");
			log.add(String.format("  %-40s -> miss (%d us, with the provider call)", question, micros));
		}
		System.out.printf("semantic-cache workload: %d requests, %d hits (hit rate %.0f%%); paraphrases %d/%d hit%n%s%n",
				requests, hits, 100.0 * hits / requests, paraphraseHits, pairs.length, String.join("\n", log));
		assertThat(paraphraseHits).as("most paraphrases hit at 0.95").isGreaterThanOrEqualTo(pairs.length / 2);
	}

	private static String chat(String system, String user, double temperature) {
		ObjectNode body = Json.object();
		body.put("model", "primary-only");
		ArrayNode messages = body.putArray("messages");
		messages.addObject().put("role", "system").put("content", system);
		messages.addObject().put("role", "user").put("content", user);
		body.put("max_tokens", 5);
		body.put("temperature", (int) temperature);
		return Json.text(body);
	}

	/** Stores run in the background: posts, then waits until the index has one more entry. */
	private Answer postAndAwaitIndexed(String key, String body) {
		SemanticResponseCache semantic = (SemanticResponseCache) this.cache;
		long before = semantic.index().entries();
		Answer answer = post(key, body);
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (semantic.index().entries() <= before && System.nanoTime() < deadline) {
			sleep(10);
		}
		assertThat(semantic.index().entries()).as("indexed").isGreaterThan(before);
		return answer;
	}

	private Answer post(String key, String body) {
		EntityExchangeResult<byte[]> result = this.client.post()
			.uri("/v1/chat/completions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody()
			.returnResult();
		return Answer.of(result);
	}

	private final java.util.Map<String, String> tenants = new java.util.HashMap<>();

	private String issueKey() {
		Tenant tenant = this.accounts.createTenant("semantic-" + UUID.randomUUID()).block(Duration.ofSeconds(10));
		IssuedKey key = this.accounts.createKey(tenant.id(), "test", Set.of(), null).block(Duration.ofSeconds(10));
		this.tenants.put(key.secret(), tenant.id());
		return key.secret();
	}

	private String tenantOf(String key) {
		return this.tenants.get(key);
	}

	private List<UsageRecord> usage(@Nullable String requestId) {
		this.ledger.flush().block(Duration.ofSeconds(10));
		return this.ledger.findByRequestId(requestId).collectList().block(Duration.ofSeconds(10));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
