package io.fulcrum.backend.embedding;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.batching.BatchListener;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.encoder.EncoderSelection;
import io.fulcrum.backend.reference.HuggingFaceReference;
import io.fulcrum.backend.reference.OnnxRuntimeReference;
import io.fulcrum.backend.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole text-to-embedding path (our tokenizer, window, batcher and CPU encoder) against the reference
 * pipeline: Hugging Face's tokenizer (Rust, through DJL) and ONNX Runtime on the same model file.
 */
class EmbeddingModelTests {

	private static final BundledModel MODEL = BundledModel.ALL_MINILM_L6_V2;

	private static EmbeddingModel model;

	private static OnnxRuntimeReference onnxRuntime;

	private static HuggingFaceTokenizer huggingFace;

	@BeforeAll
	static void load() throws Exception {
		BertWeights weights = MODEL.weights();
		WordPieceTokenizer tokenizer;
		try (InputStream in = MODEL.tokenizerJson()) {
			tokenizer = WordPieceTokenizer.fromJson(in);
		}
		model = new EmbeddingModel(MODEL.id(), tokenizer, 256, WindowPolicy.TRUNCATE,
				EncoderSelection.forDevice(Device.CPU, weights, 2), new BatchLimits(64, 8192, Duration.ZERO, 4096),
				BatchListener.NONE);
		onnxRuntime = new OnnxRuntimeReference(MODEL);
		try (InputStream in = MODEL.tokenizerJson()) {
			huggingFace = HuggingFaceReference.plain(in);
		}
	}

	@AfterAll
	static void close() throws Exception {
		model.close();
		onnxRuntime.close();
		huggingFace.close();
	}

	@Test
	void embeddingsMatchTheReferencePipelineOnVariedTextsWithCosineAtLeastFiveNines() throws Exception {
		List<String> texts = new ArrayList<>(List.of("", " ", "Hello, world!", "The quick brown fox jumps over the lazy dog.",
				"Café naïve Ångström — résumé", "中文字符和日本語のテキスト", "مرحبا بالعالم", "नमस्ते दुनिया",
				"Привет, мир", "emoji 🚀🔥 and symbols ∑ ∞ ≠", "tabs\tand\nnewlines\r\nand \u0000 control",
				"https://example.com/path?q=1&x=y user@example.org", "a".repeat(150),
				"Lorem ipsum dolor sit amet ".repeat(200)));
		Random random = new Random(3);
		for (int i = 0; i < 12; i++) {
			texts.add(randomText(random, 1 + random.nextInt(300)));
		}
		List<TokenizedInput> inputs = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			inputs.add(model.tokenize(i, texts.get(i)));
		}
		List<float[]> ours = model.embed(inputs).join();
		for (int i = 0; i < texts.size(); i++) {
			int[] expectedIds = referenceIds(texts.get(i), 256);
			assertThat(inputs.get(i).ids()).as("ids of text %d", i).containsExactly(expectedIds);
			double cosine = OnnxRuntimeReference.cosine(ours.get(i), onnxRuntime.embed(expectedIds));
			assertThat(cosine).as("text %d: %s", i, abbreviate(texts.get(i))).isGreaterThanOrEqualTo(0.99999);
		}
	}

	@Test
	void theWindowKeepsTheFirstTokensAndUsageCountsOnlyTheTextsTokens() {
		TokenizedInput longOne = model.tokenize(0, "word ".repeat(1000));
		assertThat(longOne.ids()).hasSize(256);
		assertThat(longOne.textTokens()).isEqualTo(254);
		assertThat(longOne.truncated()).isTrue();
		TokenizedInput empty = model.tokenize(0, "");
		assertThat(empty.ids()).containsExactly(101, 102);
		assertThat(empty.textTokens()).isZero();
		assertThat(empty.truncated()).isFalse();
	}

	@Test
	void theRejectPolicyRefusesWhatTheWindowCannotHoldAndSaysWhichInput() throws Exception {
		WordPieceTokenizer tokenizer;
		try (InputStream in = MODEL.tokenizerJson()) {
			tokenizer = WordPieceTokenizer.fromJson(in);
		}
		try (EmbeddingModel strict = new EmbeddingModel(MODEL.id(), tokenizer, 8, WindowPolicy.REJECT,
				EncoderSelection.forDevice(Device.CPU, MODEL.weights(), 1), new BatchLimits(4, 512, Duration.ZERO, 16),
				BatchListener.NONE)) {
			assertThat(strict.tokenize(0, "six word pieces fit here ok").ids()).hasSize(8);
			assertThatThrownBy(() -> strict.tokenize(3, "seven word pieces do not fit here"))
				.isInstanceOf(InputTooLongException.class)
				.hasMessageContaining("input 3 has 7 tokens")
				.hasMessageContaining("at most 6");
		}
	}

	@Test
	void theModelReportsItsShapeAndDevice() {
		assertThat(model.dimensions()).isEqualTo(384);
		assertThat(model.window()).isEqualTo(256);
		assertThat(model.device()).isEqualTo("cpu (2 threads)");
		assertThat(model.deviceMemoryBytes()).isZero();
	}

	private static int[] referenceIds(String text, int window) {
		int[] pieces = HuggingFaceReference.ids(huggingFace, text);
		int kept = Math.min(pieces.length, window - 2);
		int[] ids = new int[kept + 2];
		ids[0] = 101;
		for (int i = 0; i < kept; i++) {
			ids[i + 1] = pieces[i];
		}
		ids[kept + 1] = 102;
		return ids;
	}

	/** Words from several scripts, with punctuation and digits, from a fixed seed. */
	private static String randomText(Random random, int words) {
		String[] pool = { "model", "gateway", "latency", "naïve", "Straße", "東京", "данные", "قطة", "🙂", "42", "3.14",
				"GPU's", "re-ranking", "(test)", "x", "über", "ελληνικά", "한국어", "!!!", "co-op" };
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < words; i++) {
			out.append(pool[random.nextInt(pool.length)]).append(random.nextInt(5) == 0 ? ", " : " ");
		}
		return out.toString();
	}

	private static String abbreviate(String text) {
		return text.length() > 40 ? text.substring(0, 40) + "..." : text;
	}

}
