package io.fulcrum.backend.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufWriter;
import io.fulcrum.backend.reference.HuggingFaceReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ByteLevelBpeTokenizer} against Hugging Face's tokenizers: a small byte-level BPE (the 256 byte symbols and
 * 300 merges learned here from a text) written as a GGUF file and as the equivalent tokenizer.json, for each
 * supported pre-tokenizer, compared over texts with contractions, numbers, punctuation, whitespace runs, newlines,
 * Unicode and special tokens.
 */
class ByteLevelBpeTokenizerTests {

	private static final String TRAINING_TEXT = """
			Once upon a time, there was a little girl named Lily. She loved to play outside in the sunshine. One day,
			she saw a big, red ball in the park. "Can I play with it?" she asked her mom. Her mom said, "Yes, you can!"
			Lily's friend Tom didn't want to share, but they'll learn. We're happy; I'm sure you've seen it, I'd say.
			The numbers were 1, 12, 123, 1234 and 12345; pi is 3.14159 and e is 2.71828. In 2024 the price was $19.99.
			    Indented code: if (x == 1) { return y + 2; } // comment
			Café, naïve, résumé, über, Straße, São Paulo, Привет мир, 日本語のテキスト, 中文字符, 🙂🙂 emoji!
			""".repeat(3);

	static final List<String> CORPUS = List.of("Hello world", "I'm here, you're there; it's fine and we've done it.",
			"DON'T SHOUT, IT'S LOUD; THEY'LL HEAR. We'D, I'Ll", "'s 's 'S 're 'RE x'y", "numbers 1 12 123 1234 12345 1234567",
			"3.14159 and 2,000,000 and $19.99 and 10%", "punctuation!!! ... ??? --- ;;; ()[]{}", "a    b     c",
			"   leading spaces", "trailing spaces   ", "tabs\tand\t\ttabs", "line1\nline2\r\nline3\n\n\nline4",
			"\n\n  \n", " \n x", "Café naïve résumé Straße", "日本語のテキスト、中文字符。", "Привет мир", "emoji 🙂🚀 and 👩‍👩‍👧",
			"a\u00a0b\u2003c", "x  \ty", "if (x == 1) { return y + 2; } // comment", "", " ", "12a34b", "¡Hola! ¿Qué tal?");

	private static final String POOL = "abcdefghijklmnopqrstuvwxyzSTDMLRVE         \n\n\r\t'''\".,!?;:()-_$%0123456789"
			+ "éüßñ日本中文🙂жя\u00a0";

	private static final String LLAMA3_HF = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
			+ "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

	private static final String QWEN2_HF = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
			+ "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

	/** Special tokens after the learned vocabulary: control tokens, and one user-defined token. */
	private static final List<String> CONTROL = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|eot_id|>");

	private static final String USER_DEFINED = "<tool_call>";

	private static List<String> tokens;

	private static List<String> merges;

	@TempDir
	static Path dir;

	@BeforeAll
	static void train() {
		merges = trainMerges(TRAINING_TEXT, 300);
		Set<String> vocab = new LinkedHashSet<>();
		for (int b = 0; b < 256; b++) {
			vocab.add(byteSymbol(b));
		}
		for (String merge : merges) {
			vocab.add(merge.replace(" ", ""));
		}
		tokens = new ArrayList<>(vocab);
		tokens.addAll(CONTROL);
		tokens.add(USER_DEFINED);
	}

	/** GPT-2's printable character for a byte (bytes_to_unicode), written out independently of the tokenizer. */
	static String byteSymbol(int b) {
		if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
			return String.valueOf((char) b);
		}
		int n = 0;
		for (int i = 0; i < b; i++) {
			if (!((i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF))) {
				n++;
			}
		}
		return String.valueOf((char) (256 + n));
	}

	/** A tiny BPE trainer: the most frequent adjacent pair is merged, ties to the smallest pair, count times. */
	static List<String> trainMerges(String text, int count) {
		Pattern words = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
				Pattern.UNICODE_CHARACTER_CLASS);
		Map<List<String>, Integer> frequencies = new HashMap<>();
		Matcher m = words.matcher(text);
		while (m.find()) {
			List<String> symbols = new ArrayList<>();
			for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
				symbols.add(byteSymbol(b & 0xFF));
			}
			frequencies.merge(symbols, 1, Integer::sum);
		}
		List<String> learned = new ArrayList<>();
		for (int step = 0; step < count; step++) {
			Map<String, Integer> pairs = new HashMap<>();
			frequencies.forEach((symbols, f) -> {
				for (int i = 0; i + 1 < symbols.size(); i++) {
					pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), f, Integer::sum);
				}
			});
			String best = pairs.entrySet()
				.stream()
				.min((a, b) -> !a.getValue().equals(b.getValue()) ? b.getValue() - a.getValue()
						: a.getKey().compareTo(b.getKey()))
				.map(Map.Entry::getKey)
				.orElseThrow();
			learned.add(best);
			String left = best.substring(0, best.indexOf(' '));
			String right = best.substring(best.indexOf(' ') + 1);
			Map<List<String>, Integer> next = new HashMap<>();
			frequencies.forEach((symbols, f) -> {
				List<String> merged = new ArrayList<>();
				for (int i = 0; i < symbols.size(); i++) {
					if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
						merged.add(left + right);
						i++;
					}
					else {
						merged.add(symbols.get(i));
					}
				}
				next.merge(merged, f, Integer::sum);
			});
			frequencies = next;
		}
		return learned;
	}

	static GgufFile gguf(String pre, String name) throws IOException {
		int[] types = new int[tokens.size()];
		Arrays.fill(types, 1);
		for (int i = tokens.size() - 1 - CONTROL.size(); i < tokens.size() - 1; i++) {
			types[i] = 3;
		}
		types[tokens.size() - 1] = 4;
		Path file = dir.resolve(name + ".gguf");
		GgufWriter writer = new GgufWriter().put("tokenizer.ggml.model", "gpt2")
			.put("tokenizer.ggml.tokens", tokens)
			.put("tokenizer.ggml.token_type", types)
			.put("tokenizer.ggml.merges", merges)
			.put("tokenizer.ggml.bos_token_id", tokens.indexOf("<|endoftext|>"))
			.put("tokenizer.ggml.eos_token_id", tokens.indexOf("<|endoftext|>"))
			.put("tokenizer.ggml.eot_token_id", tokens.indexOf("<|im_end|>"));
		if (pre != null) {
			writer.put("tokenizer.ggml.pre", pre);
		}
		writer.write(file);
		return GgufFile.open(file);
	}

	static HuggingFaceTokenizer reference(String splitRegex, boolean ignoreMerges) throws IOException {
		List<HuggingFaceBpeJson.Added> added = new ArrayList<>();
		for (String special : CONTROL) {
			added.add(new HuggingFaceBpeJson.Added(tokens.indexOf(special), special, true));
		}
		added.add(new HuggingFaceBpeJson.Added(tokens.indexOf(USER_DEFINED), USER_DEFINED, false));
		byte[] json = HuggingFaceBpeJson.byteLevel(tokens, merges, added, splitRegex, ignoreMerges);
		return HuggingFaceReference.plain(new ByteArrayInputStream(json));
	}

	static List<String> texts() {
		List<String> texts = new ArrayList<>(CORPUS);
		texts.addAll(SentencePieceBpeTokenizerTests.randomTexts(POOL, 500, 11));
		texts.add("<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n");
		texts.add("text<|endoftext|>more<|eot_id|><tool_call>{\"a\": 1}");
		return texts;
	}

	@ParameterizedTest(name = "tokenizer.ggml.pre = {0}")
	@CsvSource({ "llama-bpe, LLAMA3", "llama3, LLAMA3", "qwen2, QWEN2", "gpt-2, GPT2", "default, GPT2" })
	void givesTheSameIdsAsHuggingFace(String pre, ByteLevelBpeTokenizer.PreTokenizer expected) throws IOException {
		ByteLevelBpeTokenizer tokenizer = ByteLevelBpeTokenizer.from(gguf(pre, pre));
		assertThat(tokenizer.preTokenizer()).isEqualTo(expected);
		String regex = switch (expected) {
			case LLAMA3 -> LLAMA3_HF;
			case QWEN2 -> QWEN2_HF;
			case GPT2 -> null;
		};
		try (HuggingFaceTokenizer reference = reference(regex, expected == ByteLevelBpeTokenizer.PreTokenizer.LLAMA3)) {
			int merged = 0;
			for (String text : texts()) {
				int[] ids = tokenizer.encode(text, true);
				assertThat(ids).as("ids of %s", text).containsExactly(HuggingFaceReference.ids(reference, text));
				merged += (int) Arrays.stream(ids).filter(id -> id >= 256 && id < tokens.size() - 5).count();
			}
			assertThat(merged).as("learned tokens used over the corpus").isGreaterThan(500);
		}
	}

	@Test
	void theGpt2PreTokenizerIsTheDefault() throws IOException {
		ByteLevelBpeTokenizer tokenizer = ByteLevelBpeTokenizer.from(gguf(null, "no-pre"));
		assertThat(tokenizer.preTokenizer()).isEqualTo(ByteLevelBpeTokenizer.PreTokenizer.GPT2);
	}

	@Test
	void decodingGivesBackTheTextExactly() throws IOException {
		TextTokenizer tokenizer = GgufTokenizers.load(gguf("llama-bpe", "round-trip"));
		for (String text : texts()) {
			assertThat(tokenizer.decode(tokenizer.encode(text, false))).as("round trip of %s", text).isEqualTo(text);
		}
	}

	@Test
	void specialTokensAreParsedOnlyWhenAskedButUserDefinedOnesAlways() throws IOException {
		TextTokenizer tokenizer = GgufTokenizers.load(gguf("qwen2", "special"));
		int imStart = tokens.indexOf("<|im_start|>");
		int imEnd = tokens.indexOf("<|im_end|>");
		int tool = tokens.indexOf(USER_DEFINED);
		String text = "<|im_start|>user\nHi<|im_end|><tool_call>";
		int[] parsed = tokenizer.encode(text, true);
		assertThat(parsed[0]).isEqualTo(imStart);
		assertThat(parsed).contains(imEnd, tool);
		int[] plain = tokenizer.encode(text, false);
		assertThat(plain).doesNotContain(imStart, imEnd).contains(tool);
		assertThat(tokenizer.decode(plain)).isEqualTo(text);
		// control tokens decode to nothing; the user-defined token to its text
		assertThat(tokenizer.decode(parsed)).isEqualTo("user\nHi<tool_call>");
	}

	@Test
	void readsSpecialIdsAndEndsGenerationAtEosEotAndEndOfTurnTokens() throws IOException {
		TextTokenizer tokenizer = GgufTokenizers.load(gguf("llama-bpe", "ids"));
		int endOfText = tokens.indexOf("<|endoftext|>");
		assertThat(tokenizer).isInstanceOf(ByteLevelBpeTokenizer.class);
		assertThat(tokenizer.vocabSize()).isEqualTo(tokens.size());
		assertThat(tokenizer.bos()).isEqualTo(endOfText);
		assertThat(tokenizer.eos()).isEqualTo(endOfText);
		assertThat(tokenizer.addBos()).isFalse();
		assertThat(tokenizer.isEndOfGeneration(endOfText)).isTrue();
		assertThat(tokenizer.isEndOfGeneration(tokens.indexOf("<|im_end|>"))).isTrue();
		assertThat(tokenizer.isEndOfGeneration(tokens.indexOf("<|eot_id|>"))).isTrue();
		assertThat(tokenizer.isEndOfGeneration(tokens.indexOf("<|im_start|>"))).isFalse();
		assertThat(tokenizer.isEndOfGeneration(0)).isFalse();
		assertThat(tokenizer.tokenText(tokens.indexOf("<|im_end|>"))).isEqualTo("<|im_end|>");
	}

	static List<String> words(ByteLevelBpeTokenizer.PreTokenizer preTokenizer, String text) {
		List<String> words = new ArrayList<>();
		Matcher m = preTokenizer.pattern().matcher(text);
		while (m.find()) {
			words.add(m.group());
		}
		return words;
	}

	@Test
	void preTokenizersCutWordsAsTheirModelsDo() {
		var gpt2 = ByteLevelBpeTokenizer.PreTokenizer.GPT2;
		var llama3 = ByteLevelBpeTokenizer.PreTokenizer.LLAMA3;
		var qwen2 = ByteLevelBpeTokenizer.PreTokenizer.QWEN2;
		assertThat(words(llama3, "1234567")).containsExactly("123", "456", "7");
		assertThat(words(qwen2, "1234567")).containsExactly("1", "2", "3", "4", "5", "6", "7");
		assertThat(words(gpt2, "1234567")).containsExactly("1234567");
		// contractions: case-insensitive for Llama 3, case-sensitive for GPT-2
		assertThat(words(llama3, "I'M here")).containsExactly("I", "'M", " here");
		assertThat(words(gpt2, "I'M here")).containsExactly("I", "'", "M", " here");
		assertThat(words(gpt2, "I'm here")).containsExactly("I", "'m", " here");
		// \s+(?!\S): a run of spaces leaves its last one to the next word
		assertThat(words(gpt2, "a   b")).containsExactly("a", "  ", " b");
		assertThat(words(llama3, "a\n\n b")).containsExactly("a", "\n\n", " b");
		assertThat(words(llama3, "end.\n\nNext")).containsExactly("end", ".\n\n", "Next");
	}

}
