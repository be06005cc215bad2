package io.fulcrum.backend.encoder.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.reference.OnnxRuntimeReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class CpuBertEncoderTests {

	private static BertWeights weights;

	private static CpuBertEncoder encoder;

	private static OnnxRuntimeReference reference;

	@BeforeAll
	static void load() throws Exception {
		weights = BundledModel.ALL_MINILM_L6_V2.weights();
		encoder = new CpuBertEncoder(weights, 2);
		reference = new OnnxRuntimeReference(BundledModel.ALL_MINILM_L6_V2);
	}

	@AfterAll
	static void close() throws Exception {
		encoder.close();
		reference.close();
	}

	@Test
	void loaderReadsTheModelsShapeOffTheGraph() {
		var c = weights.config();
		assertThat(c.vocabSize()).isEqualTo(30522);
		assertThat(c.hidden()).isEqualTo(384);
		assertThat(c.layers()).isEqualTo(6);
		assertThat(c.heads()).isEqualTo(12);
		assertThat(c.intermediate()).isEqualTo(1536);
		assertThat(c.maxPositions()).isEqualTo(512);
		assertThat(c.layerNormEps()).isEqualTo(1e-12f);
		// 22,565,376 parameters: the published 22.7 M counts the pooler, which the ONNX export leaves out
		assertThat(weights.parameterBytes()).isEqualTo(22_565_376L * 4);
	}

	@Test
	void embeddingsMatchOnnxRuntimeForSequencesFromTwoTokensToTheFullWindow() throws Exception {
		Random random = new Random(7);
		for (int length : new int[] { 2, 3, 7, 16, 33, 64, 128, 255, 512 }) {
			int[] ids = randomSequence(random, length);
			float[] ours = encoder.encode(List.of(ids))[0];
			assertThat(OnnxRuntimeReference.cosine(ours, reference.embed(ids))).as("length %d", length)
				.isGreaterThanOrEqualTo(0.99999);
			assertThat(norm(ours)).isCloseTo(1.0, offset(1e-5));
		}
	}

	@Test
	void aBatchGivesEachSequenceTheEmbeddingItGetsAlone() {
		Random random = new Random(11);
		List<int[]> batch = new ArrayList<>();
		for (int length : new int[] { 5, 40, 2, 130, 17 }) {
			batch.add(randomSequence(random, length));
		}
		float[][] together = encoder.encode(batch);
		for (int s = 0; s < batch.size(); s++) {
			float[] alone = encoder.encode(List.of(batch.get(s)))[0];
			assertThat(together[s]).containsExactly(alone, offset(1e-6f));
		}
	}

	@Test
	void sequencesLongerThanThePositionTableAreRefused() {
		assertThatThrownBy(() -> encoder.encode(List.of(new int[513]))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("513 tokens");
		assertThatThrownBy(() -> encoder.encode(List.of(new int[] { 101, 40_000, 102 })))
			.hasMessageContaining("outside the vocabulary");
	}

	/** [CLS] random word pieces [SEP], as a tokenizer would produce. */
	static int[] randomSequence(Random random, int length) {
		int[] ids = new int[length];
		ids[0] = 101;
		for (int i = 1; i < length - 1; i++) {
			ids[i] = 1000 + random.nextInt(29_000);
		}
		ids[length - 1] = 102;
		return ids;
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) {
			s += x * x;
		}
		return Math.sqrt(s);
	}

}
