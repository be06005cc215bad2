package io.fulcrum.gateway.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.cache.CachedResponse;
import io.fulcrum.gateway.cache.SemanticIndex;
import io.fulcrum.gateway.cache.SemanticQuery;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The semantic index's search alone ({@link SemanticCacheBenchmark#searchOnly}, without the model), for partitions
 * of 1k, 10k and 100k random 384-dimension unit vectors, with the exhaustive scan ({@code index=scan}) and with the
 * Lucene HNSW graph ({@code index=hnsw}).
 * <ul>
 * <li>{@code miss}: a random query (nothing near it; nothing at or above 0.95).</li>
 * <li>{@code hit}: a near-duplicate of a stored vector (cosine about 0.93 with noise 0.02 per dimension; threshold
 * 0.9), cycling through 256 such queries.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms2g", "-Xmx2g" })
@State(Scope.Benchmark)
public class SemanticCacheIndexBenchmark {

	private static final int DIMS = 384;

	@Param({ "1000", "10000", "100000" })
	public int entries;

	@Param({ "scan", "hnsw" })
	public String index;

	private SemanticIndex semanticIndex;

	private final SemanticQuery.Partition partition = new SemanticQuery.Partition("ten_bench", "chat-default", "ctx");

	private float[] randomQuery;

	private float[][] nearDuplicates;

	private int next;

	@Setup
	public void setUp() {
		this.semanticIndex = new SemanticIndex(DIMS, Duration.ofHours(1), this.entries, 10_000_000,
				"scan".equals(this.index) ? Integer.MAX_VALUE : 256);
		Random random = new Random(7);
		this.nearDuplicates = new float[256][];
		CachedResponse entry = new CachedResponse("{\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8),
				"primary", "gpt-4o-mini", TokenUsage.exact(240, 0, 210));
		int stride = this.entries / this.nearDuplicates.length;
		for (int i = 0; i < this.entries; i++) {
			float[] v = unit(random);
			this.semanticIndex.add(this.partition, v, entry);
			if (i % stride == 0 && i / stride < this.nearDuplicates.length) {
				this.nearDuplicates[i / stride] = noisy(v, random);
			}
		}
		this.randomQuery = unit(random);
		if (this.semanticIndex.nearest(this.partition, this.nearDuplicates[0], 0.9) == null
				|| this.semanticIndex.nearest(this.partition, this.randomQuery, 0.95) != null) {
			throw new IllegalStateException("the near-duplicate must hit and the random query miss");
		}
	}

	@Benchmark
	public Object miss() {
		return this.semanticIndex.nearest(this.partition, this.randomQuery, 0.95);
	}

	@Benchmark
	public Object hit() {
		float[] query = this.nearDuplicates[this.next++ & 255];
		return this.semanticIndex.nearest(this.partition, query, 0.9);
	}

	private static float[] unit(Random random) {
		float[] v = new float[DIMS];
		for (int i = 0; i < DIMS; i++) {
			v[i] = (float) random.nextGaussian();
		}
		return normalised(v);
	}

	private static float[] noisy(float[] v, Random random) {
		float[] out = v.clone();
		for (int i = 0; i < out.length; i++) {
			out[i] += (float) (random.nextGaussian() * 0.02);
		}
		return normalised(out);
	}

	private static float[] normalised(float[] v) {
		double norm = 0;
		for (float x : v) {
			norm += (double) x * x;
		}
		for (int i = 0; i < v.length; i++) {
			v[i] /= (float) Math.sqrt(norm);
		}
		return v;
	}

}
