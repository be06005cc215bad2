package io.fulcrum.backend.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.reference.HuggingFaceReference;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SentencePieceBpeTokenizer} on the real stories260K vocabulary, checked against Hugging Face's tokenizers
 * running the equivalent tokenizer.json (the layout transformers' LlamaConverter writes) over a corpus of varied and
 * random texts.
 */
class SentencePieceBpeTokenizerTests {

	static final List<String> CORPUS = List.of("Once upon a time, there was a little girl named Lily.",
			"She liked to play outside with her dog. \"Look!\" she said.", "Hello world", "hello  world",
			"   three leading spaces", "trailing spaces   ", "tabs\tand\nnewlines\n\nand\r\nreturns",
			"café, naïve, résumé, Ærø", "日本語のテキスト", "emoji 🙂🚀 and 👩‍👩‍👧", "Привет, мир!", "mixed CASE 12345 0.5",
			"don't won't it's they'll I'M", "!!!???...,,,;;;", "a", " ", "  ", "\u200a", "x\u00a0y", "<html>", "",
			"The end.", "ThisIsAVeryLongWordWithoutSpacesToMergeAcrossManySymbols",
			"Tom and Sam went to the park. They saw a big, red ball.");

	private static final String POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ      ,.!?'\"-\n\t0123456789éüßñ日本中文🙂ж";

	private static GgufFile gguf;

	private static SentencePieceBpeTokenizer tokenizer;

	private static HuggingFaceTokenizer reference;

	@BeforeAll
	static void load() throws IOException {
		gguf = GgufFile.open(SharedModels.stories260K());
		tokenizer = SentencePieceBpeTokenizer.from(gguf);
		List<String> tokens = gguf.strings("tokenizer.ggml.tokens");
		int[] types = Arrays.stream(gguf.integers("tokenizer.ggml.token_type")).mapToInt(Math::toIntExact).toArray();
		List<HuggingFaceBpeJson.Added> added = new ArrayList<>();
		for (int i = 0; i < tokens.size(); i++) {
			if (types[i] == 2 || types[i] == 3) {
				added.add(new HuggingFaceBpeJson.Added(i, tokens.get(i), true));
			}
		}
		byte[] json = HuggingFaceBpeJson.sentencePiece(tokens, gguf.floats("tokenizer.ggml.scores"), types, added);
		reference = HuggingFaceReference.plain(new ByteArrayInputStream(json));
	}

	@AfterAll
	static void close() {
		if (reference != null) {
			reference.close();
		}
	}

	static List<String> randomTexts(String pool, int count, long seed) {
		Random random = new Random(seed);
		int[] chars = pool.codePoints().toArray();
		List<String> texts = new ArrayList<>();
		for (int t = 0; t < count; t++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(60);
			for (int i = 0; i < length; i++) {
				text.appendCodePoint(chars[random.nextInt(chars.length)]);
			}
			texts.add(text.toString());
		}
		return texts;
	}

	@Test
	void readsTheVocabularyAndSpecialIdsFromTheGgufMetadata() {
		assertThat(tokenizer.vocabSize()).isEqualTo(512);
		assertThat(tokenizer.bos()).isEqualTo(1);
		assertThat(tokenizer.eos()).isEqualTo(2);
		assertThat(tokenizer.addBos()).isTrue();
		assertThat(tokenizer.addSpacePrefix()).isTrue();
		assertThat(tokenizer.tokenText(1)).isEqualTo("<s>");
		assertThat(tokenizer.isEndOfGeneration(2)).isTrue();
		assertThat(tokenizer.isEndOfGeneration(1)).isFalse();
		assertThat(GgufTokenizers.load(gguf)).isInstanceOf(SentencePieceBpeTokenizer.class);
	}

	@Test
	void givesTheSameIdsAsHuggingFaceOnVariedTexts() {
		for (String text : CORPUS) {
			assertThat(tokenizer.encode(text, false)).as("ids of %s", text)
				.containsExactly(HuggingFaceReference.ids(reference, text));
		}
	}

	@Test
	void givesTheSameIdsAsHuggingFaceOnRandomTexts() {
		for (String text : randomTexts(POOL, 500, 42)) {
			assertThat(tokenizer.encode(text, false)).as("ids of %s", text)
				.containsExactly(HuggingFaceReference.ids(reference, text));
		}
	}

	@Test
	void decodingGivesBackTheTextWithTheSpacePrefix() {
		List<String> texts = new ArrayList<>(CORPUS);
		texts.addAll(randomTexts(POOL, 200, 7));
		for (String text : texts) {
			String expected = text.isEmpty() ? "" : " " + text;
			assertThat(tokenizer.decode(tokenizer.encode(text, false))).as("round trip of %s", text).isEqualTo(expected);
		}
	}

	@Test
	void charactersOutsideTheVocabularyFallBackToTheirUtf8Bytes() {
		// é is in the stories260K vocabulary, ü is not
		assertThat(Arrays.stream(tokenizer.encode("é", false)).mapToObj(tokenizer::tokenText)).containsExactly("\u2581",
				"é");
		int[] ids = tokenizer.encode("ü", false);
		assertThat(Arrays.stream(ids).mapToObj(tokenizer::tokenText)).containsExactly("\u2581", "<0xC3>", "<0xBC>");
		assertThat(ids).containsExactly(tokenizer.encode(" ", false)[0], 3 + 0xC3, 3 + 0xBC);
		int[] emoji = tokenizer.encode("🙂", false);
		assertThat(Arrays.stream(emoji).skip(1).mapToObj(tokenizer::tokenText)).containsExactly("<0xF0>", "<0x9F>",
				"<0x99>", "<0x82>");
		assertThat(tokenizer.tokenBytes(3 + 0xC3)).containsExactly((byte) 0xC3);
	}

	@Test
	void mergesFollowTheHighestScoringPair() {
		int[] ids = tokenizer.encode("Once upon a time", false);
		assertThat(Arrays.stream(ids).mapToObj(tokenizer::tokenText)).containsExactly("\u2581Once", "\u2581upon",
				"\u2581a", "\u2581time");
		assertThat(tokenizer.decode(ids)).isEqualTo(" Once upon a time");
		// "▁the" (score -7) is formed rather than "▁t" + "he"
		assertThat(Arrays.stream(tokenizer.encode("the", false)).mapToObj(tokenizer::tokenText))
			.containsExactly("\u2581the");
		assertThat(ids).containsExactly(HuggingFaceReference.ids(reference, "Once upon a time"));
	}

	@Test
	void specialTokensWrittenInTheTextAreParsedOnlyWhenAsked() {
		int[] parsed = tokenizer.encode("<s>Hi</s>", true);
		assertThat(parsed[0]).isEqualTo(1);
		assertThat(parsed[parsed.length - 1]).isEqualTo(2);
		// plain text after a special token gets the space prefix again, as llama.cpp does
		assertThat(Arrays.copyOfRange(parsed, 1, parsed.length - 1)).containsExactly(tokenizer.encode("Hi", false));
		int[] plain = tokenizer.encode("<s>Hi</s>", false);
		assertThat(plain).doesNotContain(1, 2);
		assertThat(tokenizer.decode(plain)).isEqualTo(" <s>Hi</s>");
	}

	@Test
	void controlTokensDecodeToNothing() {
		assertThat(tokenizer.tokenBytes(1)).isEmpty();
		assertThat(tokenizer.tokenBytes(2)).isEmpty();
		assertThat(tokenizer.decode(1, 2)).isEmpty();
	}

	@Test
	void anEmptyTextHasNoTokens() {
		assertThat(tokenizer.encode("", false)).isEmpty();
		assertThat(tokenizer.encode("", true)).isEmpty();
	}

}
