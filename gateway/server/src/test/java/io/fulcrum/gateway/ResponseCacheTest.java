package io.fulcrum.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.billing.account.IssuedKey;
import io.fulcrum.billing.account.Tenant;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageReport;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.RunningGatewayTest.Answer;
import io.fulcrum.protocol.Json;
import io.fulcrum.simulator.ProviderSimulator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The exact response cache end to end, stored in the real Redis (127.0.0.1:6379, keys under {@value #PREFIX},
 * emptied first): hits and misses, what is eligible, bypass headers, tenant isolation, TTL expiry, streams served
 * from the cache, and how a hit is metered.
 */
@SpringBootTest(classes = FulcrumGatewayApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "fulcrum.storage.embedded-path=target/it-db/response-cache", "fulcrum.cache.enabled=true",
				"fulcrum.cache.store=redis", "fulcrum.cache.redis-uri=redis://127.0.0.1:6379",
				"fulcrum.cache.redis-key-prefix=" + ResponseCacheTest.PREFIX, "fulcrum.cache.ttl=3s",
				"fulcrum.cache.lookup-timeout=500ms" })
@ActiveProfiles("it")
class ResponseCacheTest {

	static final String PREFIX = "fulcrum:cache:it:";

	static final String KEY = "fk-integration-test-key-0000000000000";

	private static RedisClient redisClient;

	private static StatefulRedisConnection<String, String> redis;

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	UsageLedger ledger;

	@Autowired
	UsageReport report;

	@Autowired
	AccountStore accounts;

	WebTestClient client;

	@BeforeAll
	static void emptyTheCache() {
		redisClient = RedisClient.create("redis://127.0.0.1:6379");
		redis = redisClient.connect();
		List<String> keys = redis.sync().keys(PREFIX + "*");
		if (!keys.isEmpty()) {
			redis.sync().del(keys.toArray(String[]::new));
		}
	}

	@AfterAll
	static void closeRedis() {
		redis.close();
		redisClient.shutdown();
	}

	@BeforeEach
	void startClean() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		this.simulator.control().reset();
	}

	@Test
	void secondIdenticalDeterministicRequestIsAHitWithTheSameAnswerAndNoProviderCall() {
		String body = chat(", \"temperature\": 0");
		Answer first = postAndAwaitStored(KEY, body, null, null);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("miss");
		
		Answer second = post(KEY, body);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(second.text()).isEqualTo(first.text());
		assertThat(second.header("x-fulcrum-deployment")).as("no deployment served a hit").isNull();
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
	}

	@Test
	void fieldOrderAndStreamingDoNotSplitAnEntryButAnotherPromptDoes() {
		String body = chat(", \"seed\": 7");
		Answer first = postAndAwaitStored(KEY, body, null, null);
		
		String reordered = "{\"seed\":7,\"messages\":[{\"content\":\"Say hello " + this.unique
				+ "\",\"role\":\"user\"}],\"max_tokens\":5,\"model\":\"primary-only\",\"user\":\"someone\"}";
		assertThat(post(KEY, reordered).header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(post(KEY, body.replace("Say hello", "Say bye")).header("x-fulcrum-cache")).isEqualTo("miss");
	}

	@Test
	void nonDeterministicRequestIsNotCachedUnlessItOptsIn() {
		String body = chat(", \"temperature\": 0.7");
		Answer first = post(KEY, body);
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("bypass");
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("bypass");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(2);

		Answer optedIn = postAndAwaitStored(KEY, body, "x-fulcrum-cache", "on");
		assertThat(optedIn.header("x-fulcrum-cache")).isEqualTo("miss");
		assertThat(post(KEY, body, "x-fulcrum-cache", "on").header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(3);
	}

	@Test
	void requestsWithToolsAreNotCachedEvenWhenDeterministic() {
		String body = chat(", \"temperature\": 0, \"tools\": [{\"type\":\"function\",\"function\":{\"name\":\"f\","
				+ "\"parameters\":{\"type\":\"object\"}}}]");
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("bypass");
		assertThat(post(KEY, body, "x-fulcrum-cache", "on").header("x-fulcrum-cache")).isEqualTo("bypass");
	}

	@Test
	void noCacheAndOffBypassTheCacheAndNoStoreKeepsTheAnswerOut() {
		String body = chat(", \"temperature\": 0");
		Set<String> before = keys();
		assertThat(post(KEY, body, HttpHeaders.CACHE_CONTROL, "no-store").header("x-fulcrum-cache"))
			.isEqualTo("miss");
		sleep(300);
		assertThat(keys()).as("no-store stored nothing").isSubsetOf(before);
		Answer first = postAndAwaitStored(KEY, body, null, null);
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("miss");
		
		assertThat(post(KEY, body, HttpHeaders.CACHE_CONTROL, "no-cache").header("x-fulcrum-cache"))
			.isEqualTo("bypass");
		assertThat(post(KEY, body, "x-fulcrum-cache", "off").header("x-fulcrum-cache")).isEqualTo("bypass");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(4);
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("hit");
	}

	@Test
	void tenantsNeverShareEntries() {
		String body = chat(", \"temperature\": 0");
		Answer first = postAndAwaitStored(KEY, body, null, null);
		
		String otherKey = issueKey().secret();
		assertThat(post(otherKey, body).header("x-fulcrum-cache")).isEqualTo("miss");
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(2);
	}

	@Test
	void anEntryExpiresAfterItsTtl() {
		String body = chat(", \"temperature\": 0");
		Answer first = postAndAwaitStored(KEY, body, null, null);
		
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("hit");
		sleep(3300);
		assertThat(post(KEY, body).header("x-fulcrum-cache")).isEqualTo("miss");
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(2);
	}

	@Test
	void streamedRequestIsServedFromTheCacheAsAnSseStreamWithTheSameContent() {
		String whole = chat(", \"temperature\": 0");
		Answer first = postAndAwaitStored(KEY, whole, null, null);
		
		JsonNode completion = first.json();
		String streamed = whole.replace("\"max_tokens\":5",
				"\"max_tokens\":5,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
		Answer hit = post(KEY, streamed);
		assertThat(hit.header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(hit.headers().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM)).isTrue();
		List<String> events = dataLines(hit.text());
		assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
		JsonNode firstChunk = Json.parse(events.get(0));
		assertThat(firstChunk.path("object").asString()).isEqualTo("chat.completion.chunk");
		assertThat(firstChunk.path("choices").get(0).path("delta").path("role").asString()).isEqualTo("assistant");
		StringBuilder text = new StringBuilder();
		String finish = null;
		for (String event : events.subList(0, events.size() - 2)) {
			JsonNode choice = Json.parse(event).path("choices").get(0);
			text.append(choice.path("delta").path("content").asString(""));
			if (choice.hasNonNull("finish_reason")) {
				finish = choice.get("finish_reason").asString();
			}
		}
		JsonNode message = completion.path("choices").get(0);
		assertThat(text.toString()).isEqualTo(message.path("message").path("content").asString());
		assertThat(finish).isEqualTo(message.path("finish_reason").asString());
		JsonNode usage = Json.parse(events.get(events.size() - 2));
		assertThat(usage.path("choices").isEmpty()).isTrue();
		assertThat(usage.path("usage")).isEqualTo(completion.path("usage"));
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
	}

	@Test
	void aCompletedStreamIsStoredAndServesAWholeRequest() {
		String streamed = chat(", \"temperature\": 0, \"stream\": true");
		Answer first = postAndAwaitStored(KEY, streamed, null, null);
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("miss");
		StringBuilder text = new StringBuilder();
		for (String event : dataLines(first.text())) {
			if (!event.equals("[DONE]")) {
				text.append(Json.parse(event).path("choices").path(0).path("delta").path("content").asString(""));
			}
		}
		Answer whole = post(KEY, streamed.replace(", \"stream\": true", ""));
		assertThat(whole.header("x-fulcrum-cache")).isEqualTo("hit");
		JsonNode completion = whole.json();
		assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
		assertThat(completion.path("choices").get(0).path("message").path("content").asString())
			.isEqualTo(text.toString());
		assertThat(completion.path("usage").path("completion_tokens").asLong()).isPositive();
	}

	@Test
	void aHitIsMeteredAsACacheHitAtZeroCostWithItsSavingsRecorded() {
		IssuedKey key = issueKey();
		String body = chat(", \"temperature\": 0");
		Answer first = postAndAwaitStored(key.secret(), body, null, null);
		
		Answer hit = post(key.secret(), body);
		assertThat(hit.header("x-fulcrum-cache")).isEqualTo("hit");
		List<UsageRecord> original = usage(first.header("x-request-id"));
		assertThat(original).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(UsageStatus.SUCCESS));
		List<UsageRecord> records = usage(hit.header("x-request-id"));
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.status()).isEqualTo(UsageStatus.CACHE_HIT);
			assertThat(record.deploymentId()).isEqualTo("cache");
			assertThat(record.providerCost()).isEqualByComparingTo(BigDecimal.ZERO);
			assertThat(record.customerPrice()).isEqualByComparingTo(BigDecimal.ZERO);
			assertThat(record.usage().inputTokens()).isEqualTo(original.get(0).usage().inputTokens());
			assertThat(record.usage().outputTokens()).isEqualTo(original.get(0).usage().outputTokens());
			assertThat(record.savedPrice()).isPositive()
				.isEqualByComparingTo(original.get(0).customerPrice());
		});
		assertThat(this.simulator.control().requests("primary-model")).isEqualTo(1);
		UsageReport.CacheSavings savings = this.report
			.cacheSavings(key.key().tenantId(), Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60))
			.block(Duration.ofSeconds(10));
		assertThat(savings.hits()).isEqualTo(1);
		assertThat(savings.savedUsd()).isEqualByComparingTo(original.get(0).customerPrice());
		JsonNode usage = Json.parse(this.client.get()
			.uri("/v1/usage?start=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key.secret())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(usage.path("cache").path("hits").asLong()).isEqualTo(1);
		JsonNode admin = Json.parse(this.client.get()
			.uri("/admin/api/tenants/" + key.key().tenantId() + "/cache-savings")
			.header(HttpHeaders.AUTHORIZATION, "Bearer test-admin-token")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
		assertThat(admin.path("hits").asLong()).isEqualTo(1);
		assertThat(new BigDecimal(admin.path("saved_usd").asString()))
			.isEqualByComparingTo(original.get(0).customerPrice());
		assertThat(usage.path("cache").path("saved_usd").decimalValue())
			.isEqualByComparingTo(original.get(0).customerPrice());
	}

	@Test
	void embeddingsAreCachedWithoutOptingIn() {
		String body = "{\"model\":\"text-embedding\",\"input\":\"cache me " + this.unique + "\"}";
		Set<String> before = keys();
		Answer first = this.postTo("/v1/embeddings", KEY, body, null, null);
		assertThat(first.header("x-fulcrum-cache")).isEqualTo("miss");
		awaitNewEntry(before);
		Answer second = this.postTo("/v1/embeddings", KEY, body, null, null);
		assertThat(second.header("x-fulcrum-cache")).isEqualTo("hit");
		assertThat(second.json().path("data")).isEqualTo(first.json().path("data"));
		assertThat(this.simulator.control().requests("embed-model")).isEqualTo(1);
	}

	// ---- helpers

	/** Makes each test's prompt its own, so that tests never hit each other's entries. */
	private final String unique = UUID.randomUUID().toString();

	private String chat(String extra) {
		return "{\"model\":\"primary-only\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello " + this.unique
				+ "\"}],\"max_tokens\":5" + extra + "}";
	}

	/** Stores run in the background: posts, then waits until a new entry is in Redis. */
	private Answer postAndAwaitStored(String key, String body, @Nullable String header, @Nullable String value) {
		Set<String> before = keys();
		Answer answer = postTo("/v1/chat/completions", key, body, header, value);
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		awaitNewEntry(before);
		return answer;
	}

	private static Set<String> keys() {
		return new java.util.HashSet<>(redis.sync().keys(PREFIX + "*"));
	}

	private static void awaitNewEntry(Set<String> before) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (before.containsAll(keys())) {
			assertThat(System.nanoTime()).as("entry stored in time").isLessThan(deadline);
			sleep(10);
		}
	}

	private Answer post(String key, String body) {
		return postTo("/v1/chat/completions", key, body, null, null);
	}

	private Answer post(String key, String body, String header, String value) {
		return postTo("/v1/chat/completions", key, body, header, value);
	}

	private Answer postTo(String path, String key, String body, @Nullable String header, @Nullable String value) {
		WebTestClient.RequestBodySpec spec = this.client.post()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON);
		if (header != null) {
			spec.header(header, value);
		}
		EntityExchangeResult<byte[]> result = spec.bodyValue(body).exchange().expectBody(byte[].class).returnResult();
		return Answer.of(result);
	}

	private List<UsageRecord> usage(String requestId) {
		this.ledger.flush().block(Duration.ofSeconds(10));
		return this.ledger.findByRequestId(requestId).collectList().block(Duration.ofSeconds(10));
	}

	private IssuedKey issueKey() {
		Tenant tenant = this.accounts.createTenant("cache-" + UUID.randomUUID()).block(Duration.ofSeconds(10));
		return this.accounts.createKey(tenant.id(), "test", Set.of(), null).block(Duration.ofSeconds(10));
	}

	private static List<String> dataLines(String sse) {
		return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
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
