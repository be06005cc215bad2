package io.fulcrum.gateway.cache;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.protocol.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The semantic index and what a request is matched on, without the model. */
class SemanticCacheIndexTest {

	private static final int DIMS = 384;

	private static final SemanticQuery.Partition P = new SemanticQuery.Partition("t1", "chat", "ctx");

	@Test
	void theExactScanIsTheBruteForceNearestOnRandomVectors() {
		Random random = new Random(42);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 5_000, 100_000, Integer.MAX_VALUE);
		float[][] stored = new float[2_000][];
		for (int i = 0; i < stored.length; i++) {
			stored[i] = unit(random);
			index.add(P, stored[i], entry(i));
		}
		for (int q = 0; q < 200; q++) {
			float[] query = q % 2 == 0 ? unit(random) : noisy(stored[random.nextInt(stored.length)], random);
			int expected = -1;
			double best = Double.NEGATIVE_INFINITY;
			for (int i = 0; i < stored.length; i++) {
				double score = 0;
				for (int d = 0; d < DIMS; d++) {
					score += (double) query[d] * stored[i][d];
				}
				if (score > best) {
					best = score;
					expected = i;
				}
			}
			VectorPartition.Match match = index.nearest(P, query, -1);
			assertThat(match).isNotNull();
			assertThat(match.response().deploymentId()).isEqualTo("d" + expected);
			assertThat(match.similarity()).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-4));
		}
	}

	@Test
	void hnswFindsTheNearDuplicateAmongTwentyThousandAndReportsTheExactSimilarity() {
		Random random = new Random(4);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 20_000, 100_000);
		float[][] stored = new float[20_000][];
		for (int i = 0; i < stored.length; i++) {
			stored[i] = unit(random);
			index.add(P, stored[i], entry(i));
		}
		assertThat(index.partition(P).usesGraph()).isTrue();
		int agree = 0;
		int queries = 500;
		for (int q = 0; q < queries; q++) {
			float[] query = noisy(stored[random.nextInt(stored.length)], random);
			int expected = bruteForce(stored, query);
			VectorPartition.Match match = index.nearest(P, query, -1);
			assertThat(match).isNotNull();
			int got = Integer.parseInt(match.response().deploymentId().substring(1));
			assertThat(match.similarity()).as("the exact similarity of what was returned")
				.isCloseTo(dot(query, stored[got]), org.assertj.core.data.Offset.offset(1e-5));
			if (got == expected) {
				agree++;
			}
		}
		assertThat(agree).as("agreement with brute force").isGreaterThanOrEqualTo(queries * 95 / 100);
	}

	@Test
	void hnswNeverReturnsExpiredOrEvictedEntries() {
		Random random = new Random(5);
		AtomicLong now = new AtomicLong();
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofSeconds(10), 1_000, 100_000, now::get);
		float[][] stored = new float[2_500][];
		for (int i = 0; i < stored.length; i++) {
			stored[i] = unit(random);
			index.add(P, stored[i], entry(i));
			if (i == 1_999) {
				now.addAndGet(Duration.ofSeconds(5).toNanos());
			}
		}
		VectorPartition partition = index.partition(P);
		assertThat(partition.usesGraph()).isTrue();
		assertThat(partition.size()).isEqualTo(1_000);
		assertThat(partition.graphNodes()).as("dead nodes are rebuilt away").isLessThanOrEqualTo(3_000);
		// evicted (the oldest 1,500): never returned, even for their exact vector at no threshold
		for (int q = 0; q < 200; q++) {
			int victim = random.nextInt(1_500);
			VectorPartition.Match match = index.nearest(P, stored[victim], -1);
			assertThat(match).isNotNull();
			assertThat(id(match)).isGreaterThanOrEqualTo(1_500);
			assertThat(index.nearest(P, stored[victim], 0.9)).isNull();
		}
		// live ones are found
		for (int q = 0; q < 100; q++) {
			int live = 1_500 + random.nextInt(1_000);
			assertThat(id(index.nearest(P, noisy(stored[live], random), 0.9))).isEqualTo(live);
		}
		// 6 s later the 500 stored first (before the clock moved) have expired: never returned
		now.addAndGet(Duration.ofSeconds(6).toNanos());
		for (int q = 0; q < 200; q++) {
			int expired = 1_500 + random.nextInt(500);
			VectorPartition.Match match = index.nearest(P, stored[expired], -1);
			assertThat(match).isNotNull();
			assertThat(id(match)).isGreaterThanOrEqualTo(2_000);
		}
		assertThat(index.entries()).isEqualTo(500);
		assertThat(partition.usesGraph()).isTrue();
		// the rest expire too: nothing is returned
		now.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(index.nearest(P, stored[2_400], -1)).isNull();
		assertThat(index.entries()).isZero();
	}

	@Test
	void purgeEmptiesAnHnswPartition() {
		Random random = new Random(6);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 5_000, 100_000);
		float[] kept = null;
		for (int i = 0; i < 1_000; i++) {
			float[] v = unit(random);
			index.add(P, v, entry(i));
			kept = v;
		}
		SemanticQuery.Partition other = new SemanticQuery.Partition("t2", "chat", "ctx");
		index.add(other, kept, entry(7));
		assertThat(index.partition(P).usesGraph()).isTrue();
		assertThat(index.purgeTenant("t1")).isEqualTo(1_000);
		assertThat(index.nearest(P, kept, -1)).isNull();
		assertThat(index.entries()).isEqualTo(1);
		assertThat(id(index.nearest(other, kept, 0.99))).isEqualTo(7);
	}

	@Test
	void thresholdPartitionsAndTenantsSeparate() {
		Random random = new Random(1);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 100, 1_000);
		float[] v = unit(random);
		index.add(P, v, entry(1));
		assertThat(index.nearest(P, v, 0.999).similarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
		assertThat(index.nearest(P, unit(random), 0.5)).as("an unrelated vector is below the threshold").isNull();
		assertThat(index.nearest(new SemanticQuery.Partition("t2", "chat", "ctx"), v, 0.5)).isNull();
		assertThat(index.nearest(new SemanticQuery.Partition("t1", "other", "ctx"), v, 0.5)).isNull();
		assertThat(index.nearest(new SemanticQuery.Partition("t1", "chat", "ctx2"), v, 0.5)).isNull();
	}

	@Test
	void entriesExpireAfterTheTtl() {
		AtomicLong now = new AtomicLong();
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofSeconds(10), 100, 1_000, now::get);
		float[] v = unit(new Random(2));
		index.add(P, v, entry(1));
		now.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(index.nearest(P, v, 0.9)).isNotNull();
		now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(index.nearest(P, v, 0.9)).isNull();
		assertThat(index.entries()).isZero();
		index.add(P, v, entry(2));
		now.addAndGet(Duration.ofSeconds(11).toNanos());
		index.sweep();
		assertThat(index.entries()).isZero();
		assertThat(index.partitions()).isZero();
	}

	@Test
	void partitionsAndTheTotalAreBounded() {
		Random random = new Random(3);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 50, 120);
		float[] first = unit(random);
		index.add(P, first, entry(0));
		for (int i = 1; i < 80; i++) {
			index.add(P, unit(random), entry(i));
		}
		assertThat(index.entries()).isEqualTo(50);
		assertThat(index.nearest(P, first, 0.99)).as("the oldest made room").isNull();
		SemanticQuery.Partition other = new SemanticQuery.Partition("t1", "chat", "other");
		SemanticQuery.Partition third = new SemanticQuery.Partition("t3", "chat", "ctx");
		for (int i = 0; i < 50; i++) {
			assertThat(index.add(other, unit(random), entry(i))).isTrue();
		}
		for (int i = 0; i < 20; i++) {
			assertThat(index.add(third, unit(random), entry(i))).isTrue();
		}
		assertThat(index.entries()).isEqualTo(120);
		assertThat(index.add(third, unit(random), entry(99))).as("total bound reached").isFalse();
		assertThat(index.purgeTenant("t1")).isEqualTo(100);
		assertThat(index.entries()).isEqualTo(20);
		assertThat(index.add(third, unit(random), entry(99))).isTrue();
	}

	@Test
	void theLastUserMessageIsEmbeddedAndEverythingElseMustMatch() {
		SemanticQuery a = query("t1", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
				+ "{\"role\":\"user\",\"content\":\"How do I reset my password?\"}],\"temperature\":0}");
		SemanticQuery b = query("t1", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
				+ "{\"role\":\"user\",\"content\":\"How can I reset my password?\"}],\"temperature\":0,\"stream\":true}");
		assertThat(a.text()).isEqualTo("How do I reset my password?");
		assertThat(b.partition()).isEqualTo(a.partition());
		assertThat(query("t2", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
				+ "{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":0}").partition()).isNotEqualTo(a.partition());
		assertThat(query("t1", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be long.\"},"
				+ "{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":0}").partition()).isNotEqualTo(a.partition());
		assertThat(query("t1", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
				+ "{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":0.5}").partition()).isNotEqualTo(a.partition());
		SemanticQuery parts = query("t1", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
				+ "{\"type\":\"text\",\"text\":\"b\"}]}]}");
		assertThat(parts.text()).isEqualTo("a\nb");
		assertThat(SemanticQuery.of(CacheRequest.of("t1", "chat", CacheEndpoint.CHAT,
				(ObjectNode) Json.parse("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]}")))).isNull();
		assertThat(SemanticQuery.of(CacheRequest.of("t1", "emb", CacheEndpoint.EMBEDDINGS,
				(ObjectNode) Json.parse("{\"input\":\"x\"}")))).isNull();
	}

	private static SemanticQuery query(String tenant, String json) {
		SemanticQuery query = SemanticQuery.of(CacheRequest.of(tenant, "chat", CacheEndpoint.CHAT,
				(ObjectNode) Json.parse(json)));
		assertThat(query).isNotNull();
		return query;
	}

	static float[] unit(Random random) {
		float[] v = new float[DIMS];
		double norm = 0;
		for (int i = 0; i < DIMS; i++) {
			v[i] = (float) random.nextGaussian();
			norm += v[i] * v[i];
		}
		for (int i = 0; i < DIMS; i++) {
			v[i] /= (float) Math.sqrt(norm);
		}
		return v;
	}

	private static float[] noisy(float[] v, Random random) {
		float[] out = v.clone();
		for (int i = 0; i < out.length; i++) {
			out[i] += (float) (random.nextGaussian() * 0.02);
		}
		double norm = 0;
		for (float x : out) {
			norm += x * x;
		}
		for (int i = 0; i < out.length; i++) {
			out[i] /= (float) Math.sqrt(norm);
		}
		return out;
	}

	private static int bruteForce(float[][] stored, float[] query) {
		int best = -1;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < stored.length; i++) {
			double score = dot(query, stored[i]);
			if (score > bestScore) {
				bestScore = score;
				best = i;
			}
		}
		return best;
	}

	private static double dot(float[] a, float[] b) {
		double score = 0;
		for (int d = 0; d < a.length; d++) {
			score += (double) a[d] * b[d];
		}
		return score;
	}

	private static int id(VectorPartition.Match match) {
		assertThat(match).isNotNull();
		return Integer.parseInt(match.response().deploymentId().substring(1));
	}

	private static CachedResponse entry(int i) {
		return new CachedResponse(new byte[] { 1 }, "d" + i, "m", TokenUsage.exact(1, 0, 1));
	}

}
