package io.fulcrum.gateway.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.fulcrum.backend.server.BackendOptions;
import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.cache.CacheEndpoint;
import io.fulcrum.gateway.cache.CacheRequest;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.InMemoryResponseCache;
import io.fulcrum.gateway.cache.LocalModelEmbedder;
import io.fulcrum.gateway.cache.SemanticIndex;
import io.fulcrum.gateway.cache.SemanticQuery;
import io.fulcrum.gateway.cache.SemanticResponseCache;
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
 * What the semantic cache adds to a chat request, with the real all-MiniLM-L6-v2 model on the CPU (the local
 * backend, one engine thread): the request's partition holds {@code entries} entries (random unit vectors, plus the
 * one the paraphrase matches), the worst case for a partition of that size.
 * <ul>
 * <li>{@code miss}: {@link SemanticResponseCache#lookup} of a novel question: exact miss, partition key, embedding,
 * search, nothing above the threshold. What a semantic miss adds before the request goes on.</li>
 * <li>{@code hit}: the same for a paraphrase of a stored question: the nearest entry is above the threshold.</li>
 * <li>{@code searchOnly}: the index search alone (no embedding), for a random query; {@link SemanticCacheIndexBenchmark}
 * measures it without the model, up to 100k entries, with the exact scan and with the HNSW graph.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class SemanticCacheBenchmark {

	@Param({ "1000", "10000" })
	public int entries;

	private LocalBackendServer backend;

	private SemanticResponseCache cache;

	private SemanticIndex index;

	private CacheRequest novel;

	private CacheRequest paraphrase;

	private SemanticQuery.Partition partition;

	private float[] randomQuery;

	@Setup
	public void setUp() {
		this.backend = LocalBackendServer.start(BackendOptions.defaults().withPort(0).withCpuThreads(1));
		int dims = this.backend.model().dimensions();
		this.index = new SemanticIndex(dims, Duration.ofHours(1), 20_000, 1_000_000);
		this.cache = new SemanticResponseCache(new InMemoryResponseCache(Duration.ofHours(1), 64L << 20, 1 << 20),
				this.index, new LocalModelEmbedder(this.backend.model(), Duration.ofSeconds(5)), 0.95, Map.of());
		CacheRequest original = request("How do I reset my password?");
		this.novel = request("What is the capital of France?");
		this.paraphrase = request("How can I reset my password?");
		this.partition = SemanticQuery.of(original).partition();
		Random random = new Random(7);
		for (int i = 0; i < this.entries - 1; i++) {
			this.index.add(this.partition, unit(random, dims), entry());
		}
		this.cache.store(original, entry()).block(Duration.ofSeconds(10));
		this.randomQuery = unit(random, dims);
		if (this.cache.lookup(this.paraphrase).block() == null || this.cache.lookup(this.novel).block() != null) {
			throw new IllegalStateException("the paraphrase must hit and the novel question miss");
		}
	}

	@TearDown
	public void tearDown() {
		this.backend.close();
	}

	@Benchmark
	public CachedResponse miss() {
		return this.cache.lookup(this.novel).block();
	}

	@Benchmark
	public CachedResponse hit() {
		return this.cache.lookup(this.paraphrase).block();
	}

	@Benchmark
	public Object searchOnly() {
		return this.index.nearest(this.partition, this.randomQuery, 0.95);
	}

	private static CacheRequest request(String question) {
		ObjectNode body = Json.object();
		body.put("model", "chat-default").put("temperature", 0).put("max_tokens", 200);
		body.putArray("messages")
			.add(Json.object().put("role", "system").put("content", "You are a helpful support agent."))
			.add(Json.object().put("role", "user").put("content", question));
		return CacheRequest.of("ten_bench", "chat-default", CacheEndpoint.CHAT, body);
	}

	private static CachedResponse entry() {
		return new CachedResponse("{\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8), "primary",
				"gpt-4o-mini", TokenUsage.exact(240, 0, 210));
	}

	private static float[] unit(Random random, int dims) {
		float[] v = new float[dims];
		double norm = 0;
		for (int i = 0; i < dims; i++) {
			v[i] = (float) random.nextGaussian();
			norm += v[i] * v[i];
		}
		for (int i = 0; i < dims; i++) {
			v[i] /= (float) Math.sqrt(norm);
		}
		return v;
	}

}
