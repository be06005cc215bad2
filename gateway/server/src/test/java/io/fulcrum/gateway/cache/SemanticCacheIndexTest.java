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
	void nearestIsTheBruteForceNearestOnRandomVectors() {
		Random random = new Random(42);
		SemanticIndex index = new SemanticIndex(DIMS, Duration.ofHours(1), 5_000, 100_000);
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

	private static CachedResponse entry(int i) {
		return new CachedResponse(new byte[] { 1 }, "d" + i, "m", TokenUsage.exact(1, 0, 1));
	}

}
