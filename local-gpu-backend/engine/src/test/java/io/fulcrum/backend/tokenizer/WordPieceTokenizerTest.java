package io.fulcrum.backend.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.fulcrum.backend.reference.HuggingFaceReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compares {@link WordPieceTokenizer} with Hugging Face's tokenizers (the Rust library, through DJL's binding) on the
 * all-MiniLM-L6-v2 tokenizer.json: the same ids, text by text.
 */
class WordPieceTokenizerTest {

	private static final String RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

	private static WordPieceTokenizer tokenizer;

	private static HuggingFaceTokenizer reference;

	@BeforeAll
	static void load() throws IOException {
		try (InputStream in = resource()) {
			tokenizer = WordPieceTokenizer.fromJson(in);
		}
		try (InputStream in = resource()) {
			// The file asks for truncation and padding to 128: the reference must do neither, like tokenize().
			reference = HuggingFaceReference.plain(in);
		}
	}

	@AfterAll
	static void close() {
		reference.close();
	}

	private static InputStream resource() {
		InputStream in = WordPieceTokenizerTest.class.getResourceAsStream(RESOURCE);
		assertThat(in).as("classpath resource %s", RESOURCE).isNotNull();
		return in;
	}

	private static int[] huggingFace(String text) {
		return HuggingFaceReference.ids(reference, text);
	}

	private static List<String> tokens(int[] ids) {
		List<String> tokens = new ArrayList<>(ids.length);
		for (int id : ids) {
			tokens.add(tokenizer.token(id));
		}
		return tokens;
	}

	private static void assertSameAsHuggingFace(String... texts) {
		for (String text : texts) {
			int[] expected = huggingFace(text);
			int[] actual = tokenizer.tokenize(text);
			// Tokens first: a failure then reads as text, not as numbers.
			assertThat(tokens(actual)).as("tokens of %s", escape(text)).isEqualTo(tokens(expected));
			assertThat(actual).as("ids of %s", escape(text)).isEqualTo(expected);
		}
	}

	private static String escape(String text) {
		StringBuilder b = new StringBuilder("\"");
		String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
		shown.codePoints().forEach(cp -> {
			if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.getType(cp) == Character.FORMAT) {
				b.append(String.format("\\u%04X", cp));
			}
			else {
				b.appendCodePoint(cp);
			}
		});
		return b.append('"').toString();
	}

	@Test
	void specialTokenIdsAndVocabularyComeFromTheFile() {
		assertThat(tokenizer.cls()).isEqualTo(101);
		assertThat(tokenizer.sep()).isEqualTo(102);
		assertThat(tokenizer.pad()).isEqualTo(0);
		assertThat(tokenizer.unk()).isEqualTo(100);
		assertThat(tokenizer.vocabSize()).isEqualTo(30522);
		assertThat(tokenizer.token(101)).isEqualTo("[CLS]");
		assertThat(tokenizer.token(2003)).isEqualTo("is");
		assertThatThrownBy(() -> tokenizer.token(30522)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void plainEnglishIsSplitIntoWordsAndPieces() {
		assertThat(tokens(tokenizer.tokenize("The quick brown fox jumps over the lazy dog.")))
				.containsExactly("the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".");
		assertSameAsHuggingFace("Tokenization of unbelievably uncharacteristic words",
				"An embedding model maps sentences to vectors.", "hello world", "a", "I'm here, aren't I?");
	}

	@Test
	void mixedCaseIsLowercased() {
		assertSameAsHuggingFace("HELLO World", "McDonald's iPhone eBay", "ThIs Is MiXeD CaSe", "ΣΊΣΥΦΟΣ ΟΔΟΣ",
				"İstanbul DİYARBAKIR", "ǅemal ǈ ǋ", "ẞtraße STRASSE");
	}

	@Test
	void accentsAreStrippedAfterDecomposition() {
		assertThat(tokenizer.tokenize("café")).isEqualTo(tokenizer.tokenize("cafe"));
		assertSameAsHuggingFace("café naïve Ångström", "Crème Brûlée à la française", "São Paulo, Zürich, Kraków",
				"ñandú pingüino", "e\u0301te\u0301 (combining marks)", "Å Å ﬁ ﬀ ½ ²", "Việt Nam Tiếng Việt",
				"Ελληνικά άέήίόύώ", "ľščťžýáíé ő ű");
	}

	@Test
	void punctuationRunsAreSplitIntoSingleCharacters() {
		assertThat(tokens(tokenizer.tokenize("wait...what?!"))).containsExactly("wait", ".", ".", ".", "what", "?", "!");
		assertSameAsHuggingFace("Hello!!! What?!?! (yes) [no] {maybe}", "a-b_c+d=e|f~g`h^i$j<k>l", "--- *** ### @@@",
				"¿Qué? ¡Sí! «guillemets» „Anführung“ “smart quotes” ‘single’", "em—dash en–dash … · • ※ ‰ § ¶",
				"$100 €50 £20 ¥1000 ₹500 ₿", "2+2=4 ∑ ∞ ≠ ≤ ± × ÷", "、。「」『』【】〜・！？", "don't can't won't");
	}

	@Test
	void numbersAreSplitLikeWords() {
		assertSameAsHuggingFace("1234567890", "3.14159 2,718 1e-10 0x1F", "In 2024, 42% of 1,000,000 users",
				"٠١٢٣٤٥٦٧٨٩ ०१२३", "Ⅻ ⅷ ① ⑩ ¹²³");
	}

	@Test
	void urlsAndEmailsAreSplitAtPunctuation() {
		assertSameAsHuggingFace("https://www.example.com/path/to/page?query=1&b=two#frag",
				"mailto:someone.else+tag@sub.example.co.uk", "user@example.com", "C:\\Users\\name\\file.txt",
				"git@github.com:owner/repo.git");
	}

	@Test
	void emojiAreKeptAsSymbols() {
		assertSameAsHuggingFace("I love it 😀😃😄!", "👍🏽 thumbs", "👨‍👩‍👧‍👦 family", "🇫🇷 flag", "❤️ heart ☺",
				"🥰🫠🪿 newer emoji", "a😀b", "♠♣♥♦ ★☆");
	}

	@Test
	void cjkIdeographsAreEachTheirOwnWord() {
		assertThat(tokens(tokenizer.tokenize("中文"))).containsExactly("中", "文");
		assertSameAsHuggingFace("中文字符", "我爱北京天安门", "日本語のテキストです。カタカナ", "한국어 텍스트입니다", "mixed中文and英文",
				"𠀀𠀁 𪜀 𫝀 𫠠 𬺰 丽 兀", "豈 更 車", "㐀㐁 ⺀ ⼀ ㈠ ㊀");
	}

	@Test
	void otherScriptsMatch() {
		assertSameAsHuggingFace("مرحبا بالعالم", "السَّلَامُ عَلَيْكُمْ", "नमस्ते दुनिया", "हिन्दी भाषा",
				"Привет, мир! Ёлка ЁЖИК", "שָׁלוֹם עולם", "สวัสดีครับ", "Γειά σου Κόσμε", "ქართული", "Հայերեն",
				"ᚠᚢᚦᚨᚱᚲ", "ትግርኛ", "ᐃᓄᒃᑎᑐᑦ", "தமிழ் తెలుగు ಕನ್ನಡ മലയാളം বাংলা ગુજરાતી ਪੰਜਾਬੀ");
	}

	@Test
	void controlCharactersAndNulAreDropped() {
		assertThat(tokenizer.tokenize("he\u0000llo")).isEqualTo(tokenizer.tokenize("hello"));
		assertSameAsHuggingFace("he\u0000llo", "a\u0001b\u0002c\u001Fd\u007Fe", "zero\u200Bwidth\u200Cjoin\u200Dx",
				"soft\u00ADhyphen", "\uFEFFbom", "repl\uFFFDacement", "bidi\u202Eevil\u202C", "\u0085next line",
				"private\uE000use\uF8FF", "tag\uDB40\uDC41s", "a\u000Bb\u000Cc", "\u0600\u061C\u180E");
	}

	@Test
	void loneSurrogatesAreDroppedLikeTheReplacementCharacter() {
		assertThat(tokenizer.tokenize("a\uD800b")).isEqualTo(tokenizer.tokenize("ab"));
		assertSameAsHuggingFace("a\uD800b", "x \uDC00 y", "ab\uD83D", "\uDE00cd", "\uDE00\uD83D");
	}

	@Test
	void tabsNewlinesAndUnicodeSpacesSeparateWords() {
		assertSameAsHuggingFace("tab\tseparated\twords", "line\nbreaks\r\nand\rreturns", "no\u00A0break",
				"em\u2003space\u3000ideographic", "line\u2028para\u2029sep", "narrow\u202Fnbsp\u205Fmath",
				"ogham\u1680space", "  leading and trailing  ", "many     spaces");
	}

	@Test
	void emptyAndBlankTextHaveNoTokens() {
		assertThat(tokenizer.tokenize("")).isEmpty();
		assertThat(tokenizer.tokenize(" \t\n\r\u3000 ")).isEmpty();
		assertThat(tokenizer.tokenize("\u0000\u0001\u200B")).isEmpty();
		assertSameAsHuggingFace("", " ", "   \t\n  ", "\u0000", "\u200B\u200B");
	}

	@Test
	void wordLongerThanMaxInputCharsIsOneUnknown() {
		String hundred = "a".repeat(100);
		String longer = "a".repeat(101);
		assertThat(tokenizer.tokenize(longer)).containsExactly(tokenizer.unk());
		assertThat(tokenizer.tokenize(hundred)).hasSizeGreaterThan(1);
		// Hugging Face counts code points: 100 emoji are 200 UTF-16 units but still within the limit.
		String emoji = "😀".repeat(100);
		assertSameAsHuggingFace(hundred, longer, "x " + longer + " y", emoji, emoji + "😀",
				"pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3), "ab".repeat(50) + "é", "ab".repeat(50) + "!");
	}

	@Test
	void wordThatCannotBeCoveredIsOneUnknown() {
		assertThat(tokenizer.tokenize("hello☃world")).containsExactly(tokenizer.unk());
		assertSameAsHuggingFace("hello☃world", "abc\u0F00def", "xyz𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
	}

	@Test
	void literalSpecialTokensInTheTextAreMatchedBeforeNormalization() {
		assertThat(tokenizer.tokenize("[CLS] hi [SEP]")).startsWith(tokenizer.cls()).endsWith(tokenizer.sep());
		assertSameAsHuggingFace("[CLS] hello [SEP] world [PAD][UNK][MASK]", "a[SEP]b", "[cls] lowercase is not special",
				"[SEP", "[[SEP]]", "x [MASK]y");
	}

	@Test
	void veryLongTextIsNeitherTruncatedNorPadded() {
		String text = longEnglish(5000);
		int[] ids = tokenizer.tokenize(text);
		assertThat(ids.length).isGreaterThan(5000);
		assertThat(ids).doesNotContain(tokenizer.pad());
		assertSameAsHuggingFace(text);
	}

	@Test
	void pseudoRandomMixedScriptTextMatches() {
		Random random = new Random(20241128L);
		for (int i = 0; i < 400; i++) {
			assertSameAsHuggingFace(randomText(random));
		}
	}

	@Test
	void everyCodePointIsCleanedSpacedAndSplitAsHuggingFaceDoes() {
		// Each code point alone and inside a word: shows whether it is dropped, whitespace, punctuation, CJK, a mark
		// stripped with the accents, or lowercased to something else. Compared in chunks; a failing chunk is then
		// narrowed down to its code points so that the message names them.
		List<String> differing = new ArrayList<>();
		int chunk = 4096;
		for (int base = 0; base <= Character.MAX_CODE_POINT; base += chunk) {
			String text = probe(base, Math.min(base + chunk, Character.MAX_CODE_POINT + 1));
			if (!Arrays.equals(tokenizer.tokenize(text), huggingFace(text))) {
				forEachCodePoint(base, Math.min(base + chunk, Character.MAX_CODE_POINT + 1), cp -> {
					String one = probe(cp, cp + 1);
					int[] expected = huggingFace(one);
					int[] actual = tokenizer.tokenize(one);
					if (!Arrays.equals(actual, expected)) {
						differing.add(String.format("U+%04X %s: %s, Hugging Face %s", cp, Character.getName(cp),
								tokens(actual), tokens(expected)));
					}
				});
			}
		}
		assertThat(differing).as("%d code points differ", differing.size()).isEmpty();
	}

	private static String probe(int from, int to) {
		StringBuilder b = new StringBuilder();
		forEachCodePoint(from, to, cp -> b.append('a').appendCodePoint(cp).append("a ").appendCodePoint(cp).append(' '));
		return b.toString();
	}

	/** Every code point in [from, to) but the surrogates, which a Rust string cannot hold. */
	private static void forEachCodePoint(int from, int to, Consumer<Integer> action) {
		for (int cp = from; cp < to; cp++) {
			if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
				action.accept(cp);
			}
		}
	}

	@Test
	void fromJsonRejectsAnUnsupportedModelType() throws IOException {
		assertThatThrownBy(() -> WordPieceTokenizer.fromJson(modified(root -> root.withObject("model").put("type", "BPE"))))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("unsupported tokenizer model type 'BPE'")
				.hasMessageContaining("WordPiece");
	}

	@Test
	void fromJsonRejectsAnUnsupportedNormalizerOrPreTokenizer() throws IOException {
		assertThatThrownBy(() -> WordPieceTokenizer.fromJson(modified(root -> root.withObject("normalizer").put("type", "NFKC"))))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("unsupported normalizer type 'NFKC'");
		assertThatThrownBy(() -> WordPieceTokenizer.fromJson(modified(root -> root.withObject("pre_tokenizer").put("type", "Whitespace"))))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("unsupported pre-tokenizer type 'Whitespace'");
	}

	@Test
	void normalizerFlagsAreReadFromTheFile() throws IOException {
		String[] texts = { "Héllo WÖRLD café", "中文 and 日本語", "a\u0000b\u200Bc\td", "İstanbul ÅNGSTRÖM naïve" };
		assertSameAsHuggingFace(modifiedJson(root -> root.withObject("normalizer").put("lowercase", false)), texts);
		assertSameAsHuggingFace(modifiedJson(root -> root.withObject("normalizer").put("lowercase", false)
				.put("strip_accents", true)), texts);
		assertSameAsHuggingFace(modifiedJson(root -> root.withObject("normalizer").put("strip_accents", false)), texts);
		assertSameAsHuggingFace(modifiedJson(root -> root.withObject("normalizer").put("clean_text", false)
				.put("handle_chinese_chars", false)), texts);
		WordPieceTokenizer cased = WordPieceTokenizer.fromJson(new ByteArrayInputStream(
				modifiedJson(root -> root.withObject("normalizer").put("lowercase", false))));
		assertThat(cased.tokenize("café")).isNotEqualTo(cased.tokenize("cafe"));
	}

	@Test
	void addedTokensTakeTheWhitespaceTheirStripFlagsSay() throws IOException {
		byte[] json = modifiedJson(root -> {
			for (var token : root.withArray("added_tokens")) {
				if (token.path("content").asString().equals("[MASK]")) {
					((ObjectNode) token).put("lstrip", true).put("rstrip", true);
				}
			}
		});
		assertSameAsHuggingFace(json, "a [MASK] b", "a   [MASK]\t\nb", "[MASK]  x", "x  [MASK]", "a [SEP] b [MASK]");
	}

	/** Both tokenizers loaded from the same changed tokenizer.json must give the same ids. */
	private static void assertSameAsHuggingFace(byte[] json, String... texts) throws IOException {
		WordPieceTokenizer ours = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json));
		try (HuggingFaceTokenizer theirs = HuggingFaceReference.plain(new ByteArrayInputStream(json))) {
			for (String text : texts) {
				int[] expected = HuggingFaceReference.ids(theirs, text);
				assertThat(ours.tokenize(text)).as("ids of %s", escape(text)).isEqualTo(expected);
			}
		}
	}

	@Test
	void fromJsonRejectsWhatIsNotJson() {
		assertThatThrownBy(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream("{not json".getBytes())))
				.isInstanceOf(IOException.class);
	}

	private static InputStream modified(Consumer<ObjectNode> change) throws IOException {
		return new ByteArrayInputStream(modifiedJson(change));
	}

	private static byte[] modifiedJson(Consumer<ObjectNode> change) throws IOException {
		JsonMapper mapper = JsonMapper.shared();
		ObjectNode root;
		try (InputStream in = resource()) {
			root = (ObjectNode) mapper.readTree(in);
		}
		change.accept(root);
		return mapper.writeValueAsBytes(root);
	}

	private static final String[] WORDS = ("the of and to in is was for that on as with by he at from his an were are "
			+ "which this be or has had first one their its new after who they two her she been other when there all "
			+ "during into school time may years more most only over city some world would where later up such used many "
			+ "can state about national out known university united then made embedding transformer tokenization "
			+ "gateway inference throughput latency").split(" ");

	/** A long, English-looking text: words, commas and full stops. */
	static String longEnglish(int words) {
		Random random = new Random(7);
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < words; i++) {
			String word = WORDS[random.nextInt(WORDS.length)];
			b.append(i % 12 == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
			b.append(i % 12 == 11 ? ". " : i % 5 == 4 ? ", " : " ");
		}
		return b.toString();
	}

	/** Code point ranges the random texts draw from: scripts, marks, punctuation, symbols, spaces and controls. */
	private static final int[][] RANGES = { { 0x20, 0x7E }, { 0x20, 0x7E }, { 0x61, 0x7A }, { 0xA0, 0x24F },
			{ 0x300, 0x36F }, { 0x370, 0x3FF }, { 0x400, 0x4FF }, { 0x590, 0x5FF }, { 0x600, 0x6FF }, { 0x900, 0x97F },
			{ 0xE00, 0xE7F }, { 0x1E00, 0x1EFF }, { 0x2000, 0x206F }, { 0x20A0, 0x20CF }, { 0x2190, 0x22FF },
			{ 0x3000, 0x30FF }, { 0x4E00, 0x9FFF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFF00, 0xFFEF },
			{ 0x1F300, 0x1FAFF }, { 0x20000, 0x2A6DF }, { 0x0, 0x1F }, { 0xE000, 0xE0FF } };

	static String randomText(Random random) {
		StringBuilder b = new StringBuilder();
		int length = 1 + random.nextInt(80);
		for (int i = 0; i < length; i++) {
			if (random.nextInt(6) == 0) {
				b.append(' ');
				continue;
			}
			if (random.nextInt(5) == 0) {
				b.append(WORDS[random.nextInt(WORDS.length)]);
				continue;
			}
			int[] range = RANGES[random.nextInt(RANGES.length)];
			b.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
		}
		return b.toString();
	}

}
