package io.fulcrum.gateway.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CacheRequest;
import io.fulcrum.gateway.cache.CacheMode;
import io.fulcrum.gateway.cache.CachePolicy;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.InMemoryResponseCache;
import io.fulcrum.gateway.cache.RedisResponseCache;
import io.fulcrum.gateway.cache.ResponseCache;
import io.fulcrum.gateway.cache.SseReplay;
import io.fulcrum.protocol.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the exact response cache adds to a request, done as {@code ResponseCaching} does it on the request path:
 * {@link CachePolicy#decide} (eligibility from the body and headers), {@link CacheRequest#of} (canonical JSON and
 * SHA-256 over tenant, alias, endpoint and body), then {@link ResponseCache#lookup}.
 * <ul>
 * <li>{@code miss}: all of that for a request that is not cached: the latency a miss adds before the request goes on
 * to rate limits, budgets and routing. (Storing the answer afterwards runs after the answer has been written.)</li>
 * <li>{@code hitWhole}: the same for a cached request, the entry found: what a hit costs before its bytes are
 * written.</li>
 * <li>{@code hitStream}: a hit on a streamed request: the lookup, then the entry parsed and replayed as chunks
 * ({@link SseReplay}).</li>
 * <li>{@code store}: what storing an answer costs (off the request path): the entry built and put.</li>
 * </ul>
 * The request is a chat request of about 1 KB (a system and a user message, temperature 0); the cached answer a
 * {@code chat.completion} of about 1.2 KB. {@code store=memory} is the embedded default (Caffeine in process);
 * {@code store=redis} the Redis at 127.0.0.1:6379, through the same Lettuce client the gateway uses (blocking here
 * on each lookup; the gateway does not block).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms512m", "-Xmx512m" })
@State(Scope.Benchmark)
public class ResponseCacheBenchmark {

	@Param({ "memory", "redis" })
	public String store;

	private final CachePolicy policy = new CachePolicy(true, true, false, false);

	private ResponseCache cache;

	private ObjectNode cachedRequest;

	private ObjectNode uncachedRequest;

	private CachedResponse entry;

	private CacheRequest storeKey;

	@Setup
	public void setUp() {
		this.cache = this.store.equals("redis")
				? new RedisResponseCache("redis://127.0.0.1:6379", "fulcrum:cache:bench:", Duration.ofMinutes(10),
						1 << 20, Duration.ofSeconds(1))
				: new InMemoryResponseCache(Duration.ofMinutes(10), 64L << 20, 1 << 20);
		String system = "You are a helpful assistant for an online shop. Answer briefly, in plain English, and only "
				+ "about the shop's products, orders, shipping and returns. If you do not know, say so. ".repeat(2);
		String user = "I ordered a pair of walking boots last Tuesday (order 48213) and the tracking page has not "
				+ "changed since Thursday. Can you tell me whether the parcel is lost, and if so how I get a refund "
				+ "or a replacement? I need them for a trip on the 14th. ".repeat(2);
		this.cachedRequest = request(system, user);
		this.uncachedRequest = request(system, user + " (a different question)");
		ObjectNode completion = Json.object();
		completion.put("id", "chatcmpl-bench");
		completion.put("object", "chat.completion");
		completion.put("created", 1764300000L);
		completion.put("model", "gpt-4o-mini");
		ObjectNode choice = completion.putArray("choices").addObject();
		choice.put("index", 0);
		choice.putObject("message")
			.put("role", "assistant")
			.put("content", "I'm sorry your boots are late. A parcel with no tracking update for five days is "
					.repeat(10));
		choice.put("finish_reason", "stop");
		completion.putObject("usage").put("prompt_tokens", 240).put("completion_tokens", 210).put("total_tokens", 450);
		this.entry = new CachedResponse(Json.bytes(completion), "openai-mini", "gpt-4o-mini",
				TokenUsage.exact(240, 0, 210));
		this.cache.store(key(this.cachedRequest), this.entry).block(Duration.ofSeconds(5));
		this.storeKey = key(request("bench", "store"));
	}

	private static ObjectNode request(String system, String user) {
		ObjectNode body = Json.object();
		body.put("model", "chat-default");
		body.put("temperature", 0);
		body.put("max_tokens", 256);
		var messages = body.putArray("messages");
		messages.addObject().put("role", "system").put("content", system);
		messages.addObject().put("role", "user").put("content", user);
		return body;
	}

	private static CacheRequest key(ObjectNode body) {
		return CacheRequest.of("ten_8f3a2c", "chat-default", CacheEndpoint.CHAT, body);
	}

	private CachedResponse lookup(ObjectNode body) {
		CacheMode mode = this.policy.decide(CacheEndpoint.CHAT, body, null, null);
		if (!mode.looksUp()) {
			throw new IllegalStateException("the benchmark's request must be cacheable");
		}
		return this.cache.lookup(key(body)).block(Duration.ofSeconds(5));
	}

	@Benchmark
	public Object miss() {
		CachedResponse found = lookup(this.uncachedRequest);
		if (found != null) {
			throw new IllegalStateException("expected a miss");
		}
		return found;
	}

	@Benchmark
	public byte[] hitWhole() {
		return lookup(this.cachedRequest).body();
	}

	@Benchmark
	public List<String> hitStream() {
		CachedResponse found = lookup(this.cachedRequest);
		return SseReplay.chunks(Json.parse(found.body()), true);
	}

	@Benchmark
	public Object store() {
		CachedResponse fresh = new CachedResponse(this.entry.body(), "openai-mini", "gpt-4o-mini",
				TokenUsage.exact(240, 0, 210));
		return this.cache.store(this.storeKey, fresh).block(Duration.ofSeconds(5));
	}

	@TearDown
	public void tearDown() {
		if (this.cache instanceof RedisResponseCache redis) {
			redis.close();
		}
	}

	/** The request body's size, for the documentation. */
	public static void main(String[] args) {
		ResponseCacheBenchmark bench = new ResponseCacheBenchmark();
		bench.store = "memory";
		bench.setUp();
		System.out.println("request bytes: " + Json.bytes(bench.cachedRequest).length + ", entry bytes: "
				+ bench.entry.body().length + ", "
				+ new String(bench.entry.body(), StandardCharsets.UTF_8).substring(0, 40));
	}

}
